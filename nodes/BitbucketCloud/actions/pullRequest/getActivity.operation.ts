import type { IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { readLimit, readPullRequestId, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description = [...repoLocators, pullRequestLocator, ...returnAllOrLimit()];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'pullRequest' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	const limit = readLimit(this, i);
	return await client.listPullRequestActivity(ref, id, { limit });
}
