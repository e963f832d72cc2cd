import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readCollection, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { readScope, scopeFields, WEBHOOK_EVENTS } from './fields';

export const description: INodeProperties[] = [
	...scopeFields,
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/bitbucket',
		description: 'Where Bitbucket sends the events',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: WEBHOOK_EVENTS.map((e) => ({ name: e, value: e })),
		default: ['repo:push'],
		required: true,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Active', name: 'active', type: 'boolean', default: true, description: 'Whether Bitbucket delivers events right away' },
			{ displayName: 'Description', name: 'description', type: 'string', default: 'n8n' },
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Bitbucket signs each delivery with it (X-Hub-Signature, HMAC-SHA256). It is never returned.',
			},
		],
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { description: 'additionalFields.description', secret: 'additionalFields.secret' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const scope = readScope(this, i, defaults);
	const extra = readCollection(this, 'additionalFields', i);
	const hook = await client.createWebhook(scope, {
		url: readString(this, 'url', i),
		events: (this.getNodeParameter('events', i, []) as string[]) ?? [],
		description: (extra.description as string | undefined) || undefined,
		active: extra.active as boolean | undefined,
		secret: (extra.secret as string | undefined) || undefined,
	});
	// Bitbucket never returns the secret; should a proxy echo it, it still stays out of the output.
	return Object.fromEntries(Object.entries(hook).filter(([key]) => key !== 'secret'));
}
