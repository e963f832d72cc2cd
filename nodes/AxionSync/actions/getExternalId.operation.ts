/**
 * Get External ID: the link(s) of a local record (source table + key, optionally one external type).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SourceRef } from '../../shared/sync';
import { describeRef, readNotFound, readText } from '../helpers/read';
import { assemble, collect, linkJson, notFoundItems, runBatch } from '../helpers/batch';
import { type NotFoundMode, externalTypeField, notFoundField, providerField, sourceKeyField, sourceTableField } from '../descriptions/fields';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [
	sourceTableField(),
	sourceKeyField(),
	externalTypeField({
		required: false,
		description: 'Kind of external object (pullrequest, branch, …). Empty: every link of the record, one item each.',
	}),
	providerField(),
	notFoundField('ExternalId'),
];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const collected = collect(this, context, (i): { ref: SourceRef; notFound: NotFoundMode } => ({
		ref: {
			sourceTable: readText.call(this, 'sourceTable', 'Source Table', i),
			sourceKey: readText.call(this, 'sourceKey', 'Source Key', i),
			externalType: readText.call(this, 'externalType', 'External Type', i, { optional: true }),
			provider: readText.call(this, 'provider', 'Provider', i),
		},
		notFound: readNotFound.call(this, i),
	}));
	const found = await runBatch(this, context, collected, async (values) => await context.store.findBySource(values.map((v) => v.ref)));
	return assemble(context, collected, found, (links, i, { ref, notFound }) => {
		if (links.length > 0) return links.map((link) => ({ json: linkJson(link), pairedItem: { item: i } }));
		return notFoundItems(this, context, notFound, i, 'ExternalId', describeRef({ by: 'source', ...ref }));
	});
}
