import type { Resource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';

export const webhook: Resource = {
	option: { name: 'Webhook', value: 'webhook' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a webhook', description: 'Register a webhook on a repository or a workspace', module: create },
		{ name: 'Delete', value: 'delete', action: 'Delete a webhook', description: 'Delete a webhook', module: del },
		{ name: 'Get Many', value: 'getMany', action: 'Get many webhooks', description: 'List the webhooks of a repository or a workspace', module: getMany },
	],
};
