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
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type JsonObject,
} from 'n8n-workflow';

import { BitbucketConfigError } from '../../shared/bitbucket/auth';
import { BitbucketApiError, BitbucketError, BitbucketInputError, BitbucketNetworkError } from '../../shared/bitbucket/errors';
import { apiError, atItem, errorItem, operationError } from '../../common/errors';

/** The Rate Limiting options, checked by the router before any item runs. */
const RATE_LIMIT_LABELS: Record<string, string> = {
	'rateLimiting.maxRetries': 'Rate Limiting → Max Retries',
	'rateLimiting.rateLimitWaitSeconds': 'Rate Limiting → Wait Without Retry-After (Seconds)',
	'rateLimiting.maxTotalWaitMinutes': 'Rate Limiting → Max Total Wait (Minutes)',
};

/** Arguments every operation shares with the client under another name. */
const COMMON_FIELDS: Record<string, string> = { repo: 'repository' };

/**
 * The field the user filled for a client argument: the operation's own map first, then the common one; an
 * argument without a mapping is assumed to be the field of the same name.
 */
export function fieldFor(argument: string, fields: Record<string, string> = {}): string {
	return fields[argument] ?? COMMON_FIELDS[argument] ?? argument;
}

/** "Update Fields → Title" for `updateFields.title`, from the operation's own description. */
export function fieldLabel(path: string, properties: readonly INodeProperties[] = []): string {
	if (RATE_LIMIT_LABELS[path]) return RATE_LIMIT_LABELS[path];
	const labels: string[] = [];
	let level: ReadonlyArray<INodeProperties | INodePropertyOptions | INodePropertyCollection> = properties;
	for (const part of path.split('.')) {
		const property = level.find((p) => p.name === part) as (INodeProperties & INodePropertyCollection) | undefined;
		if (!property) return labels.length ? `${labels.join(' → ')} → ${part}` : part;
		labels.push(property.displayName);
		level = (property.options as INodeProperties[] | undefined) ?? property.values ?? [];
		// A fixedCollection's rows (`variables.variable.key`) are one more level down.
		if (level.length === 1 && (level[0] as INodePropertyCollection).values) level = (level[0] as INodePropertyCollection).values;
	}
	return labels.join(' → ');
}

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

/** Where an error is reported: the operation's description (labels) and its argument → field map. */
export interface ErrorScope {
	properties?: readonly INodeProperties[];
	fields?: Record<string, string>;
}

/** An input error from the client, reported against the field the user filled. */
function inField(error: BitbucketInputError, scope: ErrorScope): BitbucketInputError {
	const field = fieldFor(error.field, scope.fields);
	return field === error.field ? error : Object.assign(new BitbucketInputError(error.message, field), { stack: error.stack });
}

export function toNodeError(node: INode, error: unknown, itemIndex: number, scope: ErrorScope = {}): NodeApiError | NodeOperationError {
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
		const field = inField(error, scope).field;
		return operationError(node, error.message, { itemIndex, description: `Check the "${fieldLabel(field, scope.properties)}" parameter.` });
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
export function bitbucketErrorItem(
	error: unknown,
	nodeError: NodeApiError | NodeOperationError,
	itemIndex: number,
	scope: ErrorScope = {},
): INodeExecutionData {
	const extra: IDataObject = {};
	if (error instanceof BitbucketApiError) {
		extra.httpCode = error.status;
		if (error.detail) extra.detail = error.detail;
		if (error.fields) extra.fields = error.fields as unknown as IDataObject;
	} else if (error instanceof BitbucketInputError) {
		extra.field = inField(error, scope).field;
	} else if (error instanceof BitbucketConfigError) {
		extra.field = `credential.${error.field}`;
	} else if (nodeError instanceof NodeApiError && nodeError.httpCode) {
		extra.httpCode = Number(nodeError.httpCode);
	}
	return errorItem(nodeError, itemIndex, extra);
}
