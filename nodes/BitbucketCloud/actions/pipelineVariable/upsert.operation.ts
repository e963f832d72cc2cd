import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { keyField, readScope, scopeFields, securedField, valueField } from './fields';

export { fields } from './fields';

export const description: INodeProperties[] = [...scopeFields, keyField, valueField, securedField];

/** Sets the variable with this key (updating it, secured or not, by its UUID) or creates it; `created` says which. */
export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const input = {
		key: readString(this, 'key', i),
		value: String(this.getNodeParameter('value', i, '') ?? ''),
		secured: this.getNodeParameter('secured', i, true) as boolean,
	};
	return await client.variables.set(readRepo(this, i, defaults), input, readScope(this, i));
}
