/**
 * Set Status: marks links synced, error or deleted (and stamps SyncedAt, unless turned off).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { StatusChange } from '../../shared/sync';
import { describeRef, readNotFound, readRef, readStatus } from '../helpers/read';
import { assemble, collect, linkJson, notFoundItems, runBatch } from '../helpers/batch';
import { type NotFoundMode, matchFields, notFoundField, statusField } from '../descriptions/fields';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [
	...matchFields(),
	statusField('synced'),
	notFoundField('Guid'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Update Synced At',
				name: 'updateSyncedAt',
				type: 'boolean',
				default: true,
				description: 'Whether to set SyncedAt to now (UTC) as well',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const updateSyncedAt = options.updateSyncedAt !== false;
	const collected = collect(this, context, (i): { change: StatusChange; notFound: NotFoundMode } => ({
		change: { ref: readRef.call(this, i), status: readStatus.call(this, i) },
		notFound: readNotFound.call(this, i),
	}));
	const updated = await runBatch(this, context, collected, async (values) =>
		await context.store.setStatus(
			values.map((v) => v.change),
			updateSyncedAt ? {} : { syncedAt: null },
		),
	);
	return assemble(context, collected, updated, (links, i, { change, notFound }) => {
		if (links.length > 0) return links.map((link) => ({ json: linkJson(link), pairedItem: { item: i } }));
		return notFoundItems(this, context, notFound, i, 'Guid', describeRef(change.ref));
	});
}
