import type { IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { readLimit } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { readScope, scopeFields } from './fields';

export const description = [...scopeFields, ...returnAllOrLimit()];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const scope = readScope(this, i, defaults);
	return await client.listWebhooks(scope, { limit: readLimit(this, i) });
}
