import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { branchLocator, repoLocators } from '../../descriptions/locators';
import { simplifyField } from '../../descriptions/common';
import { splitList } from '../../helpers/lists';
import { readBranch, readCollection, readOptionalBranch, readRepo, readSimplify, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pullRequestFields, reviewersField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Add CSV export',
	},
	branchLocator('sourceBranch', 'Source Branch'),
	{ ...branchLocator('destinationBranch', 'Destination Branch', false), description: "Leave empty for the repository's main branch" },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Close Source Branch', name: 'closeSourceBranch', type: 'boolean', default: false, description: 'Whether to delete the source branch after the merge' },
			{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '' },
			{ displayName: 'Draft', name: 'draft', type: 'boolean', default: false, description: 'Whether to open the pull request as a draft' },
			reviewersField,
		],
	},
	simplifyField('pull request'),
];

export const fields = {
	description: 'additionalFields.description',
	reviewers: 'additionalFields.reviewers',
};

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const extra = readCollection(this, 'additionalFields', i);
	return await client.createPullRequest(ref, {
		title: readString(this, 'title', i),
		sourceBranch: readBranch(this, i, 'sourceBranch', 'Source branch'),
		destinationBranch: readOptionalBranch(this, i, 'destinationBranch', 'Destination branch'),
		description: extra.description as string | undefined,
		reviewers: splitList(extra.reviewers),
		closeSourceBranch: extra.closeSourceBranch as boolean | undefined,
		draft: extra.draft as boolean | undefined,
	}, pullRequestFields(readSimplify(this, i)));
}
