import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { readScope, scopeFields } from './fields';

export const description: INodeProperties[] = [
	...scopeFields,
	{
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '{5d1c…}',
		description: 'The `uuid` of the webhook (from Get Many or Create)',
	},
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const scope = readScope(this, i, defaults);
	const id = readString(this, 'webhookId', i);
	await client.deleteWebhook(scope, id);
	return { success: true, deleted: id };
}
