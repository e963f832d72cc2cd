import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { readLimit, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { readScope, scopeFields } from './fields';

export { fields } from './fields';

export const description: INodeProperties[] = [...scopeFields, ...returnAllOrLimit()];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	return await client.variables.list(readRepo(this, i, defaults), readScope(this, i), { limit: readLimit(this, i) });
}
