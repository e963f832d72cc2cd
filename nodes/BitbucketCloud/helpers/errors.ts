/**
 * Maps the Bitbucket layer's typed errors to the errors n8n shows: NodeApiError for Bitbucket's answers
 * (status, message, detail, field errors), NodeOperationError for bad input (naming the field) and the rest.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { BitbucketConfigError } from '../../shared/bitbucket/auth';
import { BitbucketApiError, BitbucketError, BitbucketInputError } from '../../shared/bitbucket/errors';

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof BitbucketApiError) {
		const body: JsonObject = {
			message: error.message,
			status: error.status,
			...(error.detail ? { detail: error.detail } : {}),
			...(error.fields ? { fields: error.fields as unknown as JsonObject } : {}),
		};
		return new NodeApiError(node, body, {
			message: error.message,
			description: error.description,
			httpCode: String(error.status),
			itemIndex,
		});
	}
	if (error instanceof BitbucketInputError || error instanceof BitbucketConfigError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: `Check the "${error.field}" parameter${error instanceof BitbucketConfigError ? ' of the credential' : ''}.`,
		});
	}
	if (error instanceof BitbucketError) return new NodeOperationError(node, error.message, { itemIndex });
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), { itemIndex });
}

/** The JSON of an error item under Continue On Fail: what went wrong, precisely, without secrets. */
export function errorItemJson(error: unknown, nodeError: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: nodeError.message };
	if (nodeError.description) json.description = nodeError.description;
	if (error instanceof BitbucketApiError) {
		json.httpCode = error.status;
		if (error.detail) json.detail = error.detail;
		if (error.fields) json.fields = error.fields as unknown as IDataObject;
	} else if (error instanceof BitbucketInputError) {
		json.field = error.field;
	} else if (nodeError instanceof NodeApiError && nodeError.httpCode) {
		json.httpCode = Number(nodeError.httpCode);
	}
	return json;
}
