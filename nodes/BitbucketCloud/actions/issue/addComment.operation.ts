import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { issueIdField, trackerNotice } from './fields';

export const description: INodeProperties[] = [
	trackerNotice,
	...repoLocators,
	issueIdField,
	{ displayName: 'Comment', name: 'comment', type: 'string', typeOptions: { rows: 4 }, default: '', required: true },
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'issueId', text: 'comment' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.addIssueComment(ref, readString(this, 'issueId', i), this.getNodeParameter('comment', i, '') as string);
}
