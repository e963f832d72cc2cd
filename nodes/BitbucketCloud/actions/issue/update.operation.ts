import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { issueFieldOptions, issueIdField, trackerNotice } from './fields';

export const description: INodeProperties[] = [
	trackerNotice,
	...repoLocators,
	issueIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...issueFieldOptions,
			{
				displayName: 'State',
				name: 'state',
				type: 'options',
				options: [
					{ name: 'Closed', value: 'closed' },
					{ name: 'Duplicate', value: 'duplicate' },
					{ name: 'Invalid', value: 'invalid' },
					{ name: 'New', value: 'new' },
					{ name: 'On Hold', value: 'on hold' },
					{ name: 'Open', value: 'open' },
					{ name: 'Resolved', value: 'resolved' },
					{ name: 'Submitted', value: 'submitted' },
					{ name: 'Wontfix', value: 'wontfix' },
				],
				default: 'open',
			},
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'issueId', input: 'updateFields', title: 'updateFields.title', content: 'updateFields.content', kind: 'updateFields.kind', priority: 'updateFields.priority', assignee: 'updateFields.assignee', state: 'updateFields.state' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const fields = readCollection(this, 'updateFields', i);
	if (Object.keys(fields).length === 0) {
		throw new BitbucketInputError('Update Fields is empty: add at least one field to change', 'updateFields');
	}
	return await client.updateIssue(ref, readString(this, 'issueId', i), {
		title: fields.title as string | undefined,
		content: fields.content as string | undefined,
		kind: fields.kind as string | undefined,
		priority: fields.priority as string | undefined,
		assignee: (fields.assignee as string | undefined)?.trim() || undefined,
		state: fields.state as string | undefined,
	});
}
