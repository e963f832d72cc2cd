import type { IExecuteFunctions } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { issueIdField, trackerNotice } from './fields';

export const description = [trackerNotice, ...repoLocators, issueIdField];

/** The client's argument names that differ from this operation's fields. */
export const fields = { id: 'issueId' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.getIssue(ref, readString(this, 'issueId', i));
}
