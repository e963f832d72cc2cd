import type { Resource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const branch: Resource = {
	option: { name: 'Branch', value: 'branch' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a branch', description: 'Create a branch from another branch\'s head or from a commit', module: create },
		{ name: 'Delete', value: 'delete', action: 'Delete a branch', description: 'Delete a branch', module: del },
		{ name: 'Get', value: 'get', action: 'Get a branch', description: 'Get a branch and its head commit', module: get },
		{ name: 'Get Many', value: 'getMany', action: 'Get many branches', description: 'List branches, optionally filtered by name', module: getMany },
	],
};
