import type { Resource } from '../types';
import * as commit from './commit.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const file: Resource = {
	option: { name: 'File', value: 'file' },
	defaultOperation: 'get',
	operations: [
		{ name: 'Commit Files', value: 'commit', action: 'Commit files to a branch', description: 'Add, replace or delete files in one commit, on a new or existing branch', module: commit },
		{ name: 'Get', value: 'get', action: 'Get a file', description: 'Read a file at a branch, tag or commit, as text or binary data', module: get },
		{ name: 'List', value: 'list', action: 'List a directory', description: 'List the files and directories of a directory, optionally recursively', module: list },
	],
};
