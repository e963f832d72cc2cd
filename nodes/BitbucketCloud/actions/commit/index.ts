import type { Resource } from '../types';
import * as createBuildStatus from './createBuildStatus.operation';
import * as get from './get.operation';
import * as getBuildStatuses from './getBuildStatuses.operation';
import * as getMany from './getMany.operation';

export const commit: Resource = {
	option: { name: 'Commit', value: 'commit' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Create Build Status', value: 'createBuildStatus', action: 'Create a build status on a commit', description: 'Report a CI result (successful, failed, in progress, stopped) on a commit', module: createBuildStatus },
		{ name: 'Get', value: 'get', action: 'Get a commit', description: 'Get a commit by its hash', module: get },
		{ name: 'Get Build Statuses', value: 'getBuildStatuses', action: 'Get the build statuses of a commit', description: 'List the build statuses reported on a commit', module: getBuildStatuses },
		{ name: 'Get Many', value: 'getMany', action: 'Get many commits', description: 'List commits of a branch or of the whole repository, newest first', module: getMany },
	],
};
