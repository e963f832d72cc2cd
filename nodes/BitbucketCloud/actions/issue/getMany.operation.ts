import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { trackerNotice } from './fields';

export const description: INodeProperties[] = [
	trackerNotice,
	...repoLocators,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Query (BBQL)', name: 'q', type: 'string', default: '', placeholder: 'e.g. state = "new" AND priority = "critical"' },
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Created (Newest First)', value: '-created_on' },
					{ name: 'Priority', value: '-priority' },
					{ name: 'Updated (Newest First)', value: '-updated_on' },
				],
				default: '-updated_on',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	const filters = readCollection(this, 'filters', i);
	return await client.listIssues(ref, {
		limit,
		q: (filters.q as string | undefined)?.trim() || undefined,
		sort: (filters.sort as string | undefined) || undefined,
	});
}
