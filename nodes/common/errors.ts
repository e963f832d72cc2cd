/**
 * n8n errors and error items for both nodes: one place that builds what the editor shows.
 *
 * n8n's error constructors rewrite a message that contains a Node.js error code anywhere in it (even inside a
 * branch name or a file path) into a generic sentence. The builders here spell real codes out and then put the
 * message back exactly as given, so what the user reads is what the node said.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { spellOutErrorCodes } from '../shared/errorWords';

type NodeError = NodeApiError | NodeOperationError;

/** Restores the message n8n's constructor may have replaced. */
function keepMessage<E extends NodeError>(error: E, message: string): E {
	if (error.message !== message) {
		error.message = message;
		error.messages = error.messages.filter((m) => m !== message);
	}
	return error;
}

export function operationError(
	node: INode,
	message: string,
	options: { itemIndex?: number; description?: string } = {},
): NodeOperationError {
	const text = spellOutErrorCodes(message);
	return keepMessage(new NodeOperationError(node, text, options), text);
}

export function apiError(
	node: INode,
	body: JsonObject,
	options: { message: string; description?: string; httpCode?: string; itemIndex?: number },
): NodeApiError {
	const text = spellOutErrorCodes(options.message);
	const error = keepMessage(new NodeApiError(node, body, { ...options, message: text }), text);
	if (options.description !== undefined) error.description = options.description;
	return error;
}

/** Sets the item index on an n8n error that has none yet (n8n points the editor at the failing item). */
export function atItem<E extends NodeError>(error: E, itemIndex: number): E {
	if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
	return error;
}

/**
 * The output item that replaces a failed input item under Continue On Fail: `error` (the message) and
 * `description`, plus what the node knows (`httpCode`, `field`, …), paired with the input item.
 */
export function errorItem(error: Error, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.description = description;
	return { json: { ...json, ...extra }, pairedItem: { item: itemIndex } };
}

/** Every input item as an error item: for a failure that happens before any item runs (credential, options). */
export function errorItems(error: Error, count: number, extra: IDataObject = {}): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => errorItem(error, i, extra));
}
