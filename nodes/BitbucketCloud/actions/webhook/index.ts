import type { Resource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';

export const webhook: Resource = {
	option: { name: 'Webhook', value: 'webhook' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a webhook', module: create },
		{ name: 'Delete', value: 'delete', action: 'Delete a webhook', module: del },
		{ name: 'Get Many', value: 'getMany', action: 'Get many webhooks', module: getMany },
	],
};
