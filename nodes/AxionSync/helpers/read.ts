/**
 * Reading and validating one item's parameters (through the fast path), each error naming the field.
 */
import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { operationError } from '../../common/errors';
import { SYNC_STATUSES, isSyncStatus, type LinkRef, type SyncStatus } from '../../shared/sync';
import type { NotFoundMode } from '../descriptions/fields';
import { itemParameter } from './fastParameter';

function itemError(fn: IExecuteFunctions, message: string, itemIndex: number, description?: string): NodeOperationError {
	return operationError(fn.getNode(), message, { itemIndex, description });
}

/**
 * A text parameter of one item. Numbers (e.g. `{{ $json.id }}` of a pull request) become text; values are
 * stored exactly as given. Empty is an error naming the field, unless `optional`.
 */
export function readText(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	options: { optional?: boolean } = {},
): string {
	const value = itemParameter(this, name, itemIndex, '');
	let result: string;
	if (typeof value === 'string') result = value;
	else if (typeof value === 'number' && Number.isFinite(value)) result = String(value);
	else if (typeof value === 'bigint') result = value.toString();
	else if (value === null || value === undefined) result = '';
	else {
		throw itemError(this, `${label} must be text or a number (got ${typeof value})`, itemIndex, `Map ${label} to a single value, e.g. {{ $json.id }}.`);
	}
	if (result.trim() === '') {
		if (options.optional) return '';
		throw itemError(this, `${label} is empty`, itemIndex, `Set ${label}; if it comes from an expression, check that the input item has the field.`);
	}
	if (result.includes('\u0000')) throw itemError(this, `${label} contains a NUL character`, itemIndex);
	return result;
}

export function readStatus(this: IExecuteFunctions, itemIndex: number): SyncStatus {
	const value = itemParameter(this, 'status', itemIndex, '');
	if (!isSyncStatus(value)) {
		throw itemError(
			this,
			`Status must be one of ${SYNC_STATUSES.join(', ')} (got ${JSON.stringify(value)})`,
			itemIndex,
			'Choose Synced, Error or Deleted, or make the expression return one of these words.',
		);
	}
	return value;
}

export function readNotFound(this: IExecuteFunctions, itemIndex: number): NotFoundMode {
	const value = itemParameter(this, 'notFound', itemIndex, 'empty');
	if (value === 'empty' || value === 'error' || value === 'passThrough') return value;
	throw itemError(this, `If Not Found must be empty, error or passThrough (got ${JSON.stringify(value)})`, itemIndex);
}

export function readRef(this: IExecuteFunctions, itemIndex: number): LinkRef {
	const matchBy = itemParameter(this, 'matchBy', itemIndex, 'source');
	if (matchBy === 'guid') return { by: 'guid', guid: readText.call(this, 'guid', 'Guid', itemIndex) };
	if (matchBy === 'external') {
		return {
			by: 'external',
			provider: readText.call(this, 'provider', 'Provider', itemIndex),
			externalId: readText.call(this, 'externalId', 'External ID', itemIndex),
			externalType: readText.call(this, 'externalType', 'External Type', itemIndex),
		};
	}
	if (matchBy === 'source') {
		return {
			by: 'source',
			provider: readText.call(this, 'provider', 'Provider', itemIndex),
			sourceTable: readText.call(this, 'sourceTable', 'Source Table', itemIndex),
			sourceKey: readText.call(this, 'sourceKey', 'Source Key', itemIndex),
			externalType: readText.call(this, 'externalType', 'External Type', itemIndex, { optional: true }),
		};
	}
	throw itemError(this, `Match By must be source, external or guid (got ${JSON.stringify(matchBy)})`, itemIndex);
}

/** Describes a reference for a "not found" message. */
export function describeRef(ref: LinkRef): string {
	switch (ref.by) {
		case 'guid':
			return `Guid ${JSON.stringify(ref.guid)}`;
		case 'source':
			return `Source Table ${JSON.stringify(ref.sourceTable)}, Source Key ${JSON.stringify(ref.sourceKey)}${ref.externalType ? `, External Type ${JSON.stringify(ref.externalType)}` : ''} (provider ${ref.provider})`;
		case 'external':
			return `External ID ${JSON.stringify(ref.externalId)}, External Type ${JSON.stringify(ref.externalType)}${ref.sourceTable ? `, Source Table ${JSON.stringify(ref.sourceTable)}` : ''} (provider ${ref.provider})`;
	}
}
