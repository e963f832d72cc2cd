import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import { refName } from '../../../shared/bitbucket/paths';
import { simplifyField } from '../../descriptions/common';
import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { splitList } from '../../helpers/lists';
import { readCollection, readPullRequestId, readRepo, readSimplify } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pullRequestFields, reviewersField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	pullRequestLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Close Source Branch', name: 'closeSourceBranch', type: 'boolean', default: false, description: 'Whether to delete the source branch after the merge' },
			{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '' },
			{ displayName: 'Destination Branch', name: 'destinationBranch', type: 'string', default: '' },
			{ displayName: 'Draft', name: 'draft', type: 'boolean', default: false, description: 'Whether the pull request is a draft' },
			{ ...reviewersField, description: 'Comma-separated account UUIDs or account IDs. Replaces the current reviewers.' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	simplifyField('pull request'),
];

export const fields = {
	input: 'updateFields',
	title: 'updateFields.title',
	description: 'updateFields.description',
	destinationBranch: 'updateFields.destinationBranch',
	reviewers: 'updateFields.reviewers',
};

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	const fields = readCollection(this, 'updateFields', i);
	if (Object.keys(fields).length === 0) {
		throw new BitbucketInputError('Update Fields is empty: add at least one field to change', 'updateFields');
	}
	return await client.updatePullRequest(ref, id, {
		title: fields.title as string | undefined,
		description: fields.description as string | undefined,
		destinationBranch: fields.destinationBranch ? refName(fields.destinationBranch, 'updateFields.destinationBranch', 'Destination branch') : undefined,
		reviewers: fields.reviewers !== undefined ? (splitList(fields.reviewers) ?? []) : undefined,
		closeSourceBranch: fields.closeSourceBranch as boolean | undefined,
		draft: fields.draft as boolean | undefined,
	}, pullRequestFields(readSimplify(this, i)));
}
