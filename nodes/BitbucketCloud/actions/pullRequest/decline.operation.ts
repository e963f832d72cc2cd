import type { IExecuteFunctions } from 'n8n-workflow';

import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { readPullRequestId, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description = [...repoLocators, pullRequestLocator];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'pullRequest' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	return await client.declinePullRequest(ref, id);
}
