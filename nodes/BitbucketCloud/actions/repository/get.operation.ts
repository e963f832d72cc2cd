import type { IExecuteFunctions } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description = [...repoLocators];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	return await client.getRepo(readRepo(this, i, defaults));
}
