import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readCollection, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { issueFieldOptions, trackerNotice } from './fields';

export const description: INodeProperties[] = [
	trackerNotice,
	...repoLocators,
	{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: issueFieldOptions,
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { content: 'additionalFields.content', kind: 'additionalFields.kind', priority: 'additionalFields.priority', assignee: 'additionalFields.assignee' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const extra = readCollection(this, 'additionalFields', i);
	return await client.createIssue(ref, {
		title: readString(this, 'title', i),
		content: extra.content as string | undefined,
		kind: extra.kind as string | undefined,
		priority: extra.priority as string | undefined,
		assignee: (extra.assignee as string | undefined)?.trim() || undefined,
	});
}
