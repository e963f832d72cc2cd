import type { Resource } from '../types';
import * as addComment from './addComment.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const issue: Resource = {
	option: { name: 'Issue (Deprecated Tracker)', value: 'issue' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Add Comment', value: 'addComment', action: 'Add a comment to an issue', description: 'Add a comment to an issue', module: addComment },
		{ name: 'Create', value: 'create', action: 'Create an issue', description: 'Create an issue in the repository\'s tracker', module: create },
		{ name: 'Get', value: 'get', action: 'Get an issue', description: 'Get an issue', module: get },
		{ name: 'Get Many', value: 'getMany', action: 'Get many issues', description: 'List issues, optionally filtered with BBQL', module: getMany },
		{ name: 'Update', value: 'update', action: 'Update an issue', description: 'Change the title, state, kind, priority or assignee of an issue', module: update },
	],
};
