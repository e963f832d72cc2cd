import type { IExecuteFunctions } from 'n8n-workflow';

import { branchLocator, repoLocators } from '../../descriptions/locators';
import { readBranch, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description = [...repoLocators, branchLocator()];

/** The client's argument names that differ from this operation's fields. */
export const fields = { name: 'branch' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.getBranch(ref, readBranch(this, i));
}
