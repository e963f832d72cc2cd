import type { Resource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';

export const tag: Resource = {
	option: { name: 'Tag', value: 'tag' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Create a tag at a commit', module: create },
		{ name: 'Delete', value: 'delete', action: 'Delete a tag', description: 'Delete a tag', module: del },
		{ name: 'Get Many', value: 'getMany', action: 'Get many tags', description: 'List tags, optionally filtered by name', module: getMany },
	],
};
