import type { IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readLimit, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description = [...repoLocators, ...returnAllOrLimit()];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.listDeployments(ref, { limit: readLimit(this, i) });
}
