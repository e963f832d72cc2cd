/**
 * Link Record: upsert (Package, Provider, SourceTable, SourceKey, ExternalType) → ExternalId, SyncStatus,
 * SyncedAt = now (UTC). All items in one transaction; outputs the row and whether it was created or updated.
 */
import { DateTime } from 'luxon';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LinkInput, LinkOutcome } from '../../shared/sync';
import { toNodeError } from '../transport';
import { errorItem } from '../../common/errors';
import { readStatus, readText } from '../helpers/read';
import { assemble, collect, linkJson, runBatch } from '../helpers/batch';
import { externalIdField, externalTypeField, providerField, sourceKeyField, sourceTableField, statusField } from '../descriptions/fields';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [
	sourceTableField(),
	sourceKeyField(),
	externalIdField(),
	externalTypeField(),
	providerField(),
	statusField('synced'),
];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const collected = collect(this, context, (i): LinkInput => ({
		sourceTable: readText.call(this, 'sourceTable', 'Source Table', i),
		sourceKey: readText.call(this, 'sourceKey', 'Source Key', i),
		externalId: readText.call(this, 'externalId', 'External ID', i),
		externalType: readText.call(this, 'externalType', 'External Type', i),
		provider: readText.call(this, 'provider', 'Provider', i),
		status: readStatus.call(this, i),
	}));
	const syncedAt = DateTime.utc().toISO();
	const outcomes = await runBatch(this, context, collected, async (inputs): Promise<LinkOutcome[]> => {
		if (context.continueOnFail) {
			// A row the database rejects becomes an error item; the others are written.
			return await context.store.linkIsolated(inputs, { syncedAt, isolateRowErrors: true });
		}
		const results = await context.store.link(inputs, { syncedAt });
		return results.map((r) => ({ ok: true as const, ...r }));
	});
	return assemble(context, collected, outcomes, (outcome, i) => {
		if (!outcome.ok) return [errorItem(toNodeError(this.getNode(), outcome.error, i, context.secrets), i)];
		return [
			{
				json: { ...linkJson(outcome.link), action: outcome.created ? 'created' : 'updated' },
				pairedItem: { item: i },
			},
		];
	});
}
