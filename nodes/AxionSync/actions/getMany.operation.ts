/**
 * Get Many: links of the active package, newest SyncedAt first, filtered by provider, external type,
 * status, source table and SyncedAt range. Runs once per input item (usually one).
 */
import { DateTime } from 'luxon';
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { operationError } from '../../common/errors';
import { isSyncStatus, type ListFilter, type SyncLink } from '../../shared/sync';
import { assemble, collect, linkJson, runBatch } from '../helpers/batch';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{ displayName: 'External Type', name: 'externalType', type: 'string', default: '', placeholder: 'e.g. pullrequest' },
			{ displayName: 'Provider', name: 'provider', type: 'string', default: '', placeholder: 'e.g. bitbucket' },
			{ displayName: 'Source Table', name: 'sourceTable', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Synced', value: 'synced' },
					{ name: 'Error', value: 'error' },
					{ name: 'Deleted', value: 'deleted' },
				],
				default: 'synced',
			},
			{
				displayName: 'Synced After',
				name: 'syncedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only links synced at or after this moment (without a zone: the workflow time zone)',
			},
			{
				displayName: 'Synced Before',
				name: 'syncedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only links synced before this moment (without a zone: the workflow time zone)',
			},
		],
	},
];

/** A dateTime parameter as an ISO instant in UTC; strings without a zone are in the workflow's time zone. */
function readInstant(this: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: DateTime | undefined;
	if (DateTime.isDateTime(value)) parsed = value;
	else if (value instanceof Date) parsed = DateTime.fromJSDate(value);
	else if (typeof value === 'string') parsed = DateTime.fromISO(value.trim(), { zone: this.getTimezone() });
	else if (typeof value === 'number') parsed = DateTime.fromMillis(value);
	if (!parsed || !parsed.isValid) {
		throw operationError(this.getNode(), `${label} is not a valid date and time: ${JSON.stringify(value)}`, {
			itemIndex,
			description: 'Use an ISO 8601 date, e.g. 2025-01-31T12:00:00Z.',
		});
	}
	return parsed.toUTC().toISO() ?? undefined;
}

function optionalText(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const collected = collect(this, context, (i): ListFilter => {
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const filter: ListFilter = {
			provider: optionalText(filters.provider),
			externalType: optionalText(filters.externalType),
			sourceTable: optionalText(filters.sourceTable),
			syncedAfter: readInstant.call(this, filters.syncedAfter, 'Synced After', i),
			syncedBefore: readInstant.call(this, filters.syncedBefore, 'Synced Before', i),
		};
		if (filters.status !== undefined && filters.status !== '') {
			if (!isSyncStatus(filters.status)) {
				throw operationError(this.getNode(), `Status must be one of synced, error, deleted (got ${JSON.stringify(filters.status)})`, { itemIndex: i });
			}
			filter.status = filters.status;
		}
		if (!returnAll) {
			const limit = this.getNodeParameter('limit', i, 50) as number;
			if (!Number.isInteger(limit) || limit < 1) {
				throw operationError(this.getNode(), `Limit must be a whole number of at least 1 (got ${JSON.stringify(limit)})`, { itemIndex: i });
			}
			filter.limit = limit;
		}
		return filter;
	});
	const lists = await runBatch(this, context, collected, async (filters): Promise<SyncLink[][]> => {
		const out: SyncLink[][] = [];
		for (const filter of filters) out.push(await context.store.list(filter));
		return out;
	});
	return assemble(context, collected, lists, (links, i) => links.map((link) => ({ json: linkJson(link), pairedItem: { item: i } })));
}
