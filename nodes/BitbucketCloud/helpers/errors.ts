/**
 * Maps the Bitbucket layer's typed errors to the errors n8n shows: NodeApiError for Bitbucket's answers
 * (status, message, detail, field errors), NodeOperationError for bad input (naming the field) and the rest.
 * The core names its own arguments (`variables`, `maxRetries`, …); `fieldLabel` turns them into what the user
 * sees in the editor.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { BitbucketConfigError } from '../../shared/bitbucket/auth';
import { BitbucketApiError, BitbucketError, BitbucketInputError, BitbucketNetworkError } from '../../shared/bitbucket/errors';
import { apiError, atItem, errorItem, operationError } from '../../common/errors';

/** Core argument names whose editor field has another name or lives in a collection. */
const FIELD_LABELS: Record<string, string> = {
	'rateLimiting.maxRetries': 'Rate Limiting → Max Retries',
	'rateLimiting.rateLimitWaitSeconds': 'Rate Limiting → Wait Without Retry-After (Seconds)',
	'rateLimiting.maxTotalWaitMinutes': 'Rate Limiting → Max Total Wait (Minutes)',
	timeoutSeconds: 'Options → Wait Timeout (Seconds)',
};

/** Credential fields as the credential dialog labels them. */
const CREDENTIAL_LABELS: Record<string, string> = {
	baseUrl: 'Base URL',
	email: 'Email',
	apiToken: 'API Token',
	accessToken: 'Access Token',
	username: 'Username',
	appPassword: 'App Password',
	oauthServer: 'OAuth Server',
};

export function fieldLabel(field: string): string {
	return FIELD_LABELS[field] ?? field;
}

/** The same input error, reported against another field (the one the user actually filled). */
export function renameField(error: unknown, from: string, to: string): unknown {
	if (error instanceof BitbucketInputError && error.field === from) {
		const renamed = new BitbucketInputError(error.message, to);
		renamed.stack = error.stack;
		return renamed;
	}
	return error;
}

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return atItem(error, itemIndex);
	if (error instanceof BitbucketApiError) {
		const body: JsonObject = {
			message: error.message,
			status: error.status,
			...(error.detail ? { detail: error.detail } : {}),
			...(error.fields ? { fields: error.fields as unknown as JsonObject } : {}),
		};
		return apiError(node, body, {
			message: error.message,
			description: error.description,
			httpCode: String(error.status),
			itemIndex,
		});
	}
	if (error instanceof BitbucketInputError) {
		return operationError(node, error.message, { itemIndex, description: `Check the "${fieldLabel(error.field)}" parameter.` });
	}
	if (error instanceof BitbucketConfigError) {
		return operationError(node, error.message, { itemIndex, description: `Check the "${CREDENTIAL_LABELS[error.field] ?? error.field}" field of the credential.` });
	}
	if (error instanceof BitbucketNetworkError) {
		return operationError(node, error.message, { itemIndex, description: error.description });
	}
	if (error instanceof BitbucketError) return operationError(node, error.message, { itemIndex });
	return operationError(node, error instanceof Error ? error.message : String(error), { itemIndex });
}

/** The output item of a failed input item under Continue On Fail: what went wrong, precisely, without secrets. */
export function bitbucketErrorItem(error: unknown, nodeError: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const extra: IDataObject = {};
	if (error instanceof BitbucketApiError) {
		extra.httpCode = error.status;
		if (error.detail) extra.detail = error.detail;
		if (error.fields) extra.fields = error.fields as unknown as IDataObject;
	} else if (error instanceof BitbucketInputError) {
		extra.field = fieldLabel(error.field);
	} else if (error instanceof BitbucketConfigError) {
		extra.field = `credential: ${CREDENTIAL_LABELS[error.field] ?? error.field}`;
	} else if (nodeError instanceof NodeApiError && nodeError.httpCode) {
		extra.httpCode = Number(nodeError.httpCode);
	}
	return errorItem(nodeError, itemIndex, extra);
}
