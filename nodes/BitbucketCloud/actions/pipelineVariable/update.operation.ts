import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readCollection, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { keyField, readScope, scopeFields, securedField, valueField, variableUuidField } from './fields';

export { fields } from './fields';

export const description: INodeProperties[] = [
	...scopeFields,
	variableUuidField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ ...keyField, required: false },
			{ ...securedField, default: true },
			valueField,
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const update = readCollection(this, 'updateFields', i);
	const input: { key?: string; value?: string; secured?: boolean } = {};
	if (update.key !== undefined) input.key = String(update.key);
	if (update.value !== undefined) input.value = String(update.value);
	if (update.secured !== undefined) input.secured = update.secured === true;
	return await client.variables.update(readRepo(this, i, defaults), readString(this, 'variableUuid', i), input, readScope(this, i));
}
