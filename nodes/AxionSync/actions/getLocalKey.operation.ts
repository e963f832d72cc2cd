/**
 * Get Local Key: the local record(s) linked to an external object (external id + type, optionally one
 * source table).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ExternalRef } from '../../shared/sync';
import { describeRef, readNotFound, readText } from '../helpers/read';
import { assemble, collect, linkJson, notFoundItems, runBatch } from '../helpers/batch';
import { type NotFoundMode, externalIdField, externalTypeField, notFoundField, providerField, sourceTableField } from '../descriptions/fields';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [
	externalIdField(),
	externalTypeField(),
	providerField(),
	sourceTableField({
		required: false,
		description: 'Only links of this Axion table. Empty: any table (one item per linked record, newest first).',
	}),
	notFoundField('SourceKey'),
];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const collected = collect(this, context, (i): { ref: ExternalRef; notFound: NotFoundMode } => ({
		ref: {
			externalId: readText.call(this, 'externalId', 'External ID', i),
			externalType: readText.call(this, 'externalType', 'External Type', i),
			provider: readText.call(this, 'provider', 'Provider', i),
			sourceTable: readText.call(this, 'sourceTable', 'Source Table', i, { optional: true }),
		},
		notFound: readNotFound.call(this, i),
	}));
	const found = await runBatch(this, context, collected, async (values) => await context.store.findByExternal(values.map((v) => v.ref)));
	return assemble(context, collected, found, (links, i, { ref, notFound }) => {
		if (links.length > 0) return links.map((link) => ({ json: linkJson(link), pairedItem: { item: i } }));
		return notFoundItems(this, context, notFound, i, 'SourceKey', describeRef({ by: 'external', ...ref }));
	});
}
