import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { refFilters, returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo } from '../../helpers/params';
import { refQuery } from '../../helpers/bbql';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [...repoLocators, ...returnAllOrLimit(), refFilters('branches')];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	return await client.listBranches(ref, { limit, ...refQuery(readCollection(this, 'filters', i)) });
}
