import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { readPullRequestId, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	pullRequestLocator,
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'Markdown text of the comment',
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'pullRequest', text: 'comment' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	return await client.addPullRequestComment(ref, id, this.getNodeParameter('comment', i, '') as string);
}
