import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { readScope, scopeFields, variableUuidField } from './fields';

export { fields } from './fields';

export const description: INodeProperties[] = [...scopeFields, variableUuidField];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	await client.variables.delete(readRepo(this, i, defaults), readString(this, 'variableUuid', i), readScope(this, i));
	return { success: true };
}
