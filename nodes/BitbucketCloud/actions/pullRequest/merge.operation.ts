import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import type { MergeStrategy } from '../../../shared/bitbucket/types';
import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { readCollection, readPullRequestId, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	pullRequestLocator,
	{
		displayName: 'Merge Strategy',
		name: 'mergeStrategy',
		type: 'options',
		options: [
			{ name: 'Default of the Repository', value: '' },
			{ name: 'Fast Forward', value: 'fast_forward' },
			{ name: 'Merge Commit', value: 'merge_commit' },
			{ name: 'Rebase and Fast Forward', value: 'rebase_fast_forward' },
			{ name: 'Rebase and Merge', value: 'rebase_merge' },
			{ name: 'Squash', value: 'squash' },
			{ name: 'Squash and Fast Forward', value: 'squash_fast_forward' },
		],
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Close Source Branch', name: 'closeSourceBranch', type: 'boolean', default: false, description: 'Whether to delete the source branch after the merge' },
			{ displayName: 'Message', name: 'message', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Commit message of the merge' },
			{
				displayName: 'Wait Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description: 'Bitbucket may accept a merge (202) and finish it later: how long to wait for it',
			},
		],
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'pullRequest', strategy: 'mergeStrategy', timeoutMs: 'options.timeoutSeconds', message: 'options.message' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	const options = readCollection(this, 'options', i);
	const timeout = options.timeoutSeconds as number | undefined;
	if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 1)) {
		throw new BitbucketInputError('Wait Timeout must be at least 1 second', 'timeoutSeconds');
	}
	const strategy = (this.getNodeParameter('mergeStrategy', i, '') as string) || undefined;
	return await client.mergePullRequest(
		ref,
		id,
		{
			strategy: strategy as MergeStrategy | undefined,
			message: (options.message as string | undefined) || undefined,
			closeSourceBranch: options.closeSourceBranch as boolean | undefined,
		},
		timeout === undefined ? undefined : { timeoutMs: timeout * 1000 },
	);
}
