import type { Resource } from '../types';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const repository: Resource = {
	option: { name: 'Repository', value: 'repository' },
	defaultOperation: 'get',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a repository', description: 'Create a repository in a workspace', module: create },
		{ name: 'Get', value: 'get', action: 'Get a repository', description: 'Get a repository', module: get },
		{ name: 'Get Many', value: 'getMany', action: 'Get many repositories', description: 'List the repositories of a workspace', module: getMany },
	],
};
