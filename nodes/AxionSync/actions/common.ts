/**
 * What the operations share: parameter builders, reading and validating item parameters, error items,
 * and the "validate every item first, then one batched store call" skeleton.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_PROVIDER,
	SYNC_STATUSES,
	isSyncStatus,
	type LinkRef,
	type SyncLink,
	type SyncStatus,
	type SyncStore,
} from '../../shared/sync';
import { errorItem, operationError } from '../../common/errors';
import { toNodeError } from '../transport';

export const OPERATIONS = [
	'link_record',
	'get_external_id',
	'get_local_key',
	'look_up_many',
	'set_status',
	'get_many',
	'unlink',
] as const;
export type OperationName = (typeof OPERATIONS)[number];

export interface OperationContext {
	store: SyncStore;
	items: INodeExecutionData[];
	continueOnFail: boolean;
	/** Strings to keep out of error messages (the database password). */
	secrets: string[];
}

export type OperationExecute = (this: IExecuteFunctions, context: OperationContext) => Promise<INodeExecutionData[]>;

// ---------------------------------------------------------------------------------------------------------
// Parameters

type ShowConditions = NonNullable<IDisplayOptions['show']>;

export function showFor(operation: OperationName, extra: ShowConditions = {}): INodeProperties['displayOptions'] {
	return { show: { operation: [operation], ...extra } };
}

export function providerField(operation: OperationName, extra?: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'string',
		default: DEFAULT_PROVIDER,
		required: true,
		description: 'The external system: bitbucket, asana, …',
		displayOptions: showFor(operation, extra),
	};
}

export function sourceTableField(operation: OperationName, options: { required?: boolean; extra?: Record<string, string[]>; description?: string } = {}): INodeProperties {
	return {
		displayName: 'Source Table',
		name: 'sourceTable',
		type: 'string',
		default: '',
		required: options.required ?? true,
		placeholder: 'def_project',
		description: options.description ?? 'The Axion table of the local record',
		displayOptions: showFor(operation, options.extra),
	};
}

export function sourceKeyField(operation: OperationName, extra?: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Source Key',
		name: 'sourceKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.Guid }}',
		description: 'The key of the local record in its table',
		displayOptions: showFor(operation, extra),
	};
}

export function externalIdField(operation: OperationName, extra?: Record<string, string[]>, defaultValue = ''): INodeProperties {
	return {
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: defaultValue,
		required: true,
		// The mapping of a Bitbucket object's `id` field, not a label.
		// eslint-disable-next-line n8n-nodes-base/node-param-placeholder-miscased-id
		placeholder: '={{ $json.id }}',
		description: 'The ID of the external object (a pull request number, branch name, commit hash, pipeline UUID, …)',
		displayOptions: showFor(operation, extra),
	};
}

export function externalTypeField(operation: OperationName, options: { required?: boolean; extra?: Record<string, string[]>; description?: string } = {}): INodeProperties {
	const defaultType = options.required === false ? '' : 'pullrequest';
	return {
		displayName: 'External Type',
		name: 'externalType',
		type: 'string',
		default: defaultType,
		required: options.required ?? true,
		placeholder: 'pullrequest',
		description: options.description ?? 'Kind of external object: pullrequest, branch, pipeline, commit, issue, …',
		displayOptions: showFor(operation, options.extra),
	};
}

export function statusField(operation: OperationName, defaultValue: SyncStatus): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Synced', value: 'synced' },
			{ name: 'Error', value: 'error' },
			{ name: 'Deleted', value: 'deleted' },
		],
		default: defaultValue,
		description: 'SyncStatus to store',
		displayOptions: showFor(operation),
	};
}

export type NotFoundMode = 'empty' | 'error' | 'passThrough';

export function notFoundField(operation: OperationName, nullField: string): INodeProperties {
	return {
		displayName: 'If Not Found',
		name: 'notFound',
		type: 'options',
		options: [
			{ name: 'Output Nothing', value: 'empty', description: 'The item produces no output' },
			{ name: 'Fail', value: 'error', description: 'Stop with an error (or an error item with Continue On Fail)' },
			{
				name: 'Pass Item Through',
				value: 'passThrough',
				description: `Output the input item with ${nullField} set to null`,
			},
		],
		default: 'empty',
		displayOptions: showFor(operation),
	};
}

/** Set Status and Unlink find links by source record, by external object, or by Guid. */
export function matchFields(operation: OperationName): INodeProperties[] {
	const bySource = { matchBy: ['source'] };
	const byExternal = { matchBy: ['external'] };
	return [
		{
			displayName: 'Match By',
			name: 'matchBy',
			type: 'options',
			options: [
				{ name: 'Local Record', value: 'source', description: 'Source table + source key (+ external type)' },
				{ name: 'External Object', value: 'external', description: 'External ID + external type' },
				{ name: 'Guid', value: 'guid', description: 'The Guid of the link row' },
			],
			default: 'source',
			displayOptions: showFor(operation),
		},
		sourceTableField(operation, { extra: bySource }),
		sourceKeyField(operation, bySource),
		externalTypeField(operation, {
			required: false,
			extra: bySource,
			description: 'Empty: every link of the local record',
		}),
		externalIdField(operation, byExternal),
		externalTypeField(operation, { extra: byExternal }),
		providerField(operation, { matchBy: ['source', 'external'] }),
		{
			displayName: 'Guid',
			name: 'guid',
			type: 'string',
			default: '',
			required: true,
			placeholder: '={{ $json.Guid }}',
			displayOptions: showFor(operation, { matchBy: ['guid'] }),
		},
	];
}

// ---------------------------------------------------------------------------------------------------------
// Reading item parameters

interface ParameterCache {
	raw: INodeParameters;
	items: INodeExecutionData[];
	constants: Map<string, unknown>;
	paths: Map<string, PropertyPath | null>;
}
const parameterCaches = new WeakMap<IExecuteFunctions, ParameterCache>();

type PropertyPath = Array<string | number>;

/**
 * `={{ $json.a.b }}`, `={{ $json["a"][0] }}`, `={{ $json?.a }}` → the property path; anything else → null.
 */
export function simpleJsonPath(expression: string): PropertyPath | null {
	const m = /^=\{\{\s*\$json((?:\??\.[A-Za-z_$][\w$]*|(?:\?\.)?\[(?:\d+|'[^'\\]*'|"[^"\\]*")\])+)\s*\}\}$/.exec(expression);
	if (!m) return null;
	const path: PropertyPath = [];
	const segment = /(?:\??\.([A-Za-z_$][\w$]*)|(?:\?\.)?\[(?:(\d+)|'([^'\\]*)'|"([^"\\]*)")\])/gy;
	let part: RegExpExecArray | null;
	while ((part = segment.exec(m[1])) !== null) {
		if (part[1] !== undefined) path.push(part[1]);
		else if (part[2] !== undefined) path.push(Number(part[2]));
		else path.push(part[3] ?? part[4] ?? '');
		if (segment.lastIndex === m[1].length) break;
	}
	return segment.lastIndex === m[1].length ? path : null;
}

function readPath(value: unknown, path: PropertyPath): unknown {
	let current = value;
	for (const key of path) {
		if (current === null || current === undefined) return undefined;
		// Like JavaScript: properties of primitives too (e.g. `$json.name.length`).
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

/**
 * A parameter's value for one item, as n8n's getNodeParameter gives it, with two shortcuts that matter
 * with thousands of items (n8n spends ~0.1 ms evaluating each expression, most of the node's time):
 * - a parameter that is not an expression has the same value for every item: resolved once;
 * - the plain mapping `{{ $json.field }}` (also nested, indexed or `?.` paths) is the item's own
 *   property, read directly.
 */
export function itemParameter(fn: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	let cache = parameterCaches.get(fn);
	if (!cache) {
		cache = { raw: fn.getNode().parameters, items: fn.getInputData(), constants: new Map(), paths: new Map() };
		parameterCaches.set(fn, cache);
	}
	const raw = cache.raw[name];
	if (typeof raw === 'string' && raw.startsWith('=')) {
		let path = cache.paths.get(name);
		if (path === undefined) cache.paths.set(name, (path = simpleJsonPath(raw)));
		const item = cache.items[itemIndex];
		if (path && item) return readPath(item.json, path);
		return fn.getNodeParameter(name, itemIndex, fallback as string) as unknown;
	}
	if (raw === undefined || (typeof raw === 'object' && raw !== null)) {
		return fn.getNodeParameter(name, itemIndex, fallback as string) as unknown;
	}
	if (!cache.constants.has(name)) cache.constants.set(name, fn.getNodeParameter(name, itemIndex, fallback as string) as unknown);
	return cache.constants.get(name);
}

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

// ---------------------------------------------------------------------------------------------------------
// Batches and outputs

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

export { errorItem };

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
	const byIndex = new Map<number, { result: R; value: T }>();
	if (results) collected.valid.forEach((v, n) => byIndex.set(v.index, { result: results[n], value: v.value }));
	for (let i = 0; i < context.items.length; i++) {
		const failure = collected.failed.get(i);
		if (failure) {
			out.push(errorItem(failure, i));
			continue;
		}
		const entry = byIndex.get(i);
		if (entry) out.push(...toItems(entry.result, i, entry.value));
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
