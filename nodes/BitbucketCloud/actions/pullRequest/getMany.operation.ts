import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PullRequestState } from '../../../shared/bitbucket/types';
import { returnAllOrLimit, simplifyField } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pullRequestListFields } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'State',
				name: 'state',
				type: 'multiOptions',
				options: [
					{ name: 'Declined', value: 'DECLINED' },
					{ name: 'Merged', value: 'MERGED' },
					{ name: 'Open', value: 'OPEN' },
					{ name: 'Superseded', value: 'SUPERSEDED' },
				],
				default: ['OPEN'],
				description: 'Bitbucket returns only open pull requests when no state is chosen',
			},
			{
				displayName: 'Query (BBQL)',
				name: 'q',
				type: 'string',
				default: '',
				placeholder: 'e.g. updated_on > 2026-01-01T00:00:00Z AND author.nickname = "ada"',
				description: 'A Bitbucket query language filter',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Created (Newest First)', value: '-created_on' },
					{ name: 'Created (Oldest First)', value: 'created_on' },
					{ name: 'ID (Highest First)', value: '-id' },
					{ name: 'Updated (Newest First)', value: '-updated_on' },
					{ name: 'Updated (Oldest First)', value: 'updated_on' },
				],
				default: '-updated_on',
			},
		],
	},
	simplifyField('pull request'),
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { states: 'filters.state' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	const filters = readCollection(this, 'filters', i);
	return await client.listPullRequests(ref, {
		limit,
		states: (filters.state as PullRequestState[] | undefined) ?? undefined,
		q: (filters.q as string | undefined) || undefined,
		sort: (filters.sort as string | undefined) || undefined,
		fields: pullRequestListFields(this.getNodeParameter('simplify', i, true) as boolean),
	});
}
