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
		placeholder: 'e.g. {5d1c0b2e-…}',
		description: 'The `uuid` of the webhook (from Get Many or Create)',
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { webhookUid: 'webhookId' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const scope = readScope(this, i, defaults);
	const id = readString(this, 'webhookId', i);
	await client.deleteWebhook(scope, id);
	return { success: true, deleted: id };
}
