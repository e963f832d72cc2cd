import type { IExecuteFunctions } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { commitHashField } from './fields';

export const description = [...repoLocators, commitHashField];

/** The client's argument names that differ from this operation's fields. */
export const fields = { hash: 'commit' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.getCommit(ref, readString(this, 'commit', i));
}
