import type { Resource } from '../types';
import * as addComment from './addComment.operation';
import * as approve from './approve.operation';
import * as create from './create.operation';
import * as decline from './decline.operation';
import * as get from './get.operation';
import * as getActivity from './getActivity.operation';
import * as getComments from './getComments.operation';
import * as getCommits from './getCommits.operation';
import * as getDiffstat from './getDiffstat.operation';
import * as getMany from './getMany.operation';
import * as merge from './merge.operation';
import * as requestChanges from './requestChanges.operation';
import * as unapprove from './unapprove.operation';
import * as update from './update.operation';

export const pullRequest: Resource = {
	option: { name: 'Pull Request', value: 'pullRequest' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Add Comment', value: 'addComment', action: 'Add a comment to a pull request', module: addComment },
		{ name: 'Approve', value: 'approve', action: 'Approve a pull request', module: approve },
		{ name: 'Create', value: 'create', action: 'Create a pull request', module: create },
		{ name: 'Decline', value: 'decline', action: 'Decline a pull request', module: decline },
		{ name: 'Get', value: 'get', action: 'Get a pull request', module: get },
		{ name: 'Get Activity', value: 'getActivity', action: 'Get the activity of a pull request', module: getActivity },
		{ name: 'Get Comments', value: 'getComments', action: 'Get the comments of a pull request', module: getComments },
		{ name: 'Get Commits', value: 'getCommits', action: 'Get the commits of a pull request', module: getCommits },
		{ name: 'Get Diffstat', value: 'getDiffstat', action: 'Get the changed files of a pull request', module: getDiffstat },
		{ name: 'Get Many', value: 'getMany', action: 'Get many pull requests', module: getMany },
		{ name: 'Merge', value: 'merge', action: 'Merge a pull request', module: merge },
		{ name: 'Request Changes', value: 'requestChanges', action: 'Request changes on a pull request', module: requestChanges },
		{ name: 'Unapprove', value: 'unapprove', action: 'Remove your approval of a pull request', module: unapprove },
		{ name: 'Update', value: 'update', action: 'Update a pull request', module: update },
	],
};
