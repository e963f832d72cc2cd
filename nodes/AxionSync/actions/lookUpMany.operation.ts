/**
 * Look Up Many: adds to every input item its link (or null), with one batched query for all items. The
 * step of a scheduled sync that splits new external objects from known ones: e.g. input items are
 * Bitbucket pull requests, External ID is `{{ $json.id }}`, and each item gets `axionSync: {…} | null`.
 *
 * One output with a filter (all / only unknown / only known) rather than two outputs: the node stays
 * usable as an AI tool (tools have one output), every item keeps its place and pairing, and a workflow
 * that wants both branches uses "All Items" and an If node on `{{ $json.axionSync === null }}`.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { operationError } from '../../common/errors';
import type { LinkRef } from '../../shared/sync';
import { readText } from '../helpers/read';
import { assemble, collect, linkJson, runBatch } from '../helpers/batch';
import { externalIdField, externalTypeField, providerField, sourceKeyField, sourceTableField } from '../descriptions/fields';
import type { OperationContext } from './types';

const byExternal = { lookUpBy: ['external'] };
const bySource = { lookUpBy: ['source'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		options: [
			{ name: 'External ID', value: 'external', description: 'Items are external objects (e.g. Bitbucket pull requests)' },
			{ name: 'Local Record', value: 'source', description: 'Items are Axion records' },
		],
		default: 'external',
	},
	externalIdField(byExternal, '={{ $json.id }}'),
	sourceTableField({
		required: false,
		extra: byExternal,
		description: 'Only links of this Axion table. Empty: any table.',
	}),
	sourceTableField({ extra: bySource }),
	sourceKeyField(bySource),
	externalTypeField(),
	providerField(),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'All Items', value: 'all', description: 'Every item, with its link or null' },
			{ name: 'Only Unknown Items', value: 'unknown', description: 'Items without a link (new objects)' },
			{ name: 'Only Known Items', value: 'known', description: 'Items with a link' },
		],
		default: 'all',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Put Link In Field',
				name: 'field',
				type: 'string',
				default: 'axionSync',
				description: 'Name of the field that receives the link (or null)',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const lookUpBy = this.getNodeParameter('lookUpBy', 0, 'external') as string;
	const output = this.getNodeParameter('output', 0, 'all') as string;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const field = typeof options.field === 'string' && options.field.trim() !== '' ? options.field.trim() : 'axionSync';
	if (lookUpBy !== 'external' && lookUpBy !== 'source') {
		throw operationError(this.getNode(), `Look Up By must be external or source (got ${JSON.stringify(lookUpBy)})`, { itemIndex: 0 });
	}
	if (!['all', 'unknown', 'known'].includes(output)) {
		throw operationError(this.getNode(), `Output must be all, unknown or known (got ${JSON.stringify(output)})`, { itemIndex: 0 });
	}

	const collected = collect(this, context, (i): LinkRef =>
		lookUpBy === 'external'
			? {
					by: 'external',
					externalId: readText.call(this, 'externalId', 'External ID', i),
					externalType: readText.call(this, 'externalType', 'External Type', i),
					provider: readText.call(this, 'provider', 'Provider', i),
					sourceTable: readText.call(this, 'sourceTable', 'Source Table', i, { optional: true }),
				}
			: {
					by: 'source',
					sourceTable: readText.call(this, 'sourceTable', 'Source Table', i),
					sourceKey: readText.call(this, 'sourceKey', 'Source Key', i),
					externalType: readText.call(this, 'externalType', 'External Type', i),
					provider: readText.call(this, 'provider', 'Provider', i),
				},
	);
	const found = await runBatch(this, context, collected, async (refs) => await context.store.find(refs));
	return assemble(context, collected, found, (links, i) => {
		// Several local records can point at one external object: the most recently synced one is used.
		const link = links[0] ?? null;
		if ((output === 'unknown' && link) || (output === 'known' && !link)) return [];
		const item = context.items[i];
		return [
			{
				json: { ...item.json, [field]: link ? linkJson(link) : null },
				binary: item.binary,
				pairedItem: { item: i },
			},
		];
	});
}
