import type { IExecuteFunctions } from 'n8n-workflow';

import { simplifyField } from '../../descriptions/common';
import { pullRequestLocator, repoLocators } from '../../descriptions/locators';
import { readPullRequestId, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pullRequestFields } from './fields';

export const description = [...repoLocators, pullRequestLocator, simplifyField('pull request')];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'pullRequest' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const id = readPullRequestId(this, i, ref);
	return await client.getPullRequest(ref, id, pullRequestFields(this.getNodeParameter('simplify', i, true) as boolean));
}
