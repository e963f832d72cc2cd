/**
 * The shape every Axion Sync operation has: read and validate every item first (a bad item is an error item with
 * Continue On Fail, else it stops the node before the database is touched), then one batched store call, then
 * the outputs in item order.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { errorItem, operationError } from '../../common/errors';
import type { SyncLink } from '../../shared/sync';
import type { OperationContext } from '../actions/types';
import type { NotFoundMode } from '../descriptions/fields';
import { toNodeError } from '../transport';

export interface Collected<T> {
	/** Items whose parameters are valid, in order. */
	valid: { index: number; value: T }[];
	/** Items whose parameters are not (only with Continue On Fail; otherwise the first one is thrown). */
	failed: Map<number, NodeOperationError>;
}

/** Reads every item's parameters before touching the database: without Continue On Fail, a bad item throws here. */
export function collect<T>(fn: IExecuteFunctions, context: OperationContext, read: (itemIndex: number) => T): Collected<T> {
	const valid: { index: number; value: T }[] = [];
	const failed = new Map<number, NodeOperationError>();
	for (let i = 0; i < context.items.length; i++) {
		try {
			valid.push({ index: i, value: read(i) });
		} catch (error) {
			const nodeError = toNodeError(fn.getNode(), error, i, context.secrets);
			if (!context.continueOnFail) throw nodeError;
			failed.set(i, nodeError);
		}
	}
	return { valid, failed };
}

export function linkJson(link: SyncLink): IDataObject {
	return { ...link };
}

/**
 * Runs the batched store call for the valid items. A failure of the whole batch fails the node, or with
 * Continue On Fail turns every valid item into an error item (returned as `null`).
 */
export async function runBatch<T, R>(
	fn: IExecuteFunctions,
	context: OperationContext,
	collected: Collected<T>,
	call: (values: T[]) => Promise<R[]>,
): Promise<R[] | null> {
	if (collected.valid.length === 0) return [];
	try {
		return await call(collected.valid.map((v) => v.value));
	} catch (error) {
		const batchIndex = (error as { index?: unknown }).index;
		const itemIndex =
			typeof batchIndex === 'number' && collected.valid[batchIndex] ? collected.valid[batchIndex].index : collected.valid[0].index;
		const nodeError = toNodeError(fn.getNode(), error, itemIndex, context.secrets);
		if (!context.continueOnFail) throw nodeError;
		for (const v of collected.valid) {
			collected.failed.set(v.index, toNodeError(fn.getNode(), error, v.index, context.secrets));
		}
		return null;
	}
}

/** Assembles outputs in item order: each valid item's results, or its error item. */
export function assemble<T, R>(
	context: OperationContext,
	collected: Collected<T>,
	results: R[] | null,
	toItems: (result: R, itemIndex: number, value: T) => INodeExecutionData[],
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	// Valid items are in item order: walk them beside the failures, without a lookup per item.
	let next = 0;
	for (let i = 0; i < context.items.length; i++) {
		const failure = collected.failed.get(i);
		if (failure) {
			out.push(errorItem(failure, i));
			continue;
		}
		if (!results || collected.valid[next]?.index !== i) continue;
		for (const item of toItems(results[next], i, collected.valid[next].value)) out.push(item);
		next++;
	}
	return out;
}

/**
 * Output for an item whose links were not found: nothing, an error (thrown, or an error item with Continue
 * On Fail), or the input item with `nullField` set to null.
 */
export function notFoundItems(
	fn: IExecuteFunctions,
	context: OperationContext,
	mode: NotFoundMode,
	itemIndex: number,
	nullField: string,
	what: string,
): INodeExecutionData[] {
	if (mode === 'empty') return [];
	if (mode === 'passThrough') {
		const item = context.items[itemIndex];
		return [{ json: { ...item.json, [nullField]: null }, binary: item.binary, pairedItem: { item: itemIndex } }];
	}
	const error = operationError(fn.getNode(), `No link found for ${what}`, {
		itemIndex,
		description: 'Set "If Not Found" to Output Nothing or Pass Item Through to continue without a link.',
	});
	if (!context.continueOnFail) throw error;
	return [errorItem(error, itemIndex)];
}
