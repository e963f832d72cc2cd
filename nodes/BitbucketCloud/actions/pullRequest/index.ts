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
		{ name: 'Add Comment', value: 'addComment', action: 'Add a comment to a pull request', description: 'Add a comment to a pull request', module: addComment },
		{ name: 'Approve', value: 'approve', action: 'Approve a pull request', description: 'Approve a pull request as the credential\'s user', module: approve },
		{ name: 'Create', value: 'create', action: 'Create a pull request', description: 'Open a pull request from a source branch', module: create },
		{ name: 'Decline', value: 'decline', action: 'Decline a pull request', description: 'Decline an open pull request', module: decline },
		{ name: 'Get', value: 'get', action: 'Get a pull request', description: 'Get a pull request', module: get },
		{ name: 'Get Activity', value: 'getActivity', action: 'Get the activity of a pull request', description: 'List the activity (updates, approvals, comments) of a pull request', module: getActivity },
		{ name: 'Get Comments', value: 'getComments', action: 'Get the comments of a pull request', description: 'List the comments of a pull request', module: getComments },
		{ name: 'Get Commits', value: 'getCommits', action: 'Get the commits of a pull request', description: 'List the commits of a pull request', module: getCommits },
		{ name: 'Get Diffstat', value: 'getDiffstat', action: 'Get the changed files of a pull request', description: 'List the files a pull request changes, with line counts', module: getDiffstat },
		{ name: 'Get Many', value: 'getMany', action: 'Get many pull requests', description: 'List pull requests by state, with an optional BBQL filter', module: getMany },
		{ name: 'Merge', value: 'merge', action: 'Merge a pull request', description: 'Merge a pull request, waiting for Bitbucket when it merges in the background', module: merge },
		{ name: 'Request Changes', value: 'requestChanges', action: 'Request changes on a pull request', description: 'Request changes on a pull request', module: requestChanges },
		{ name: 'Unapprove', value: 'unapprove', action: 'Remove your approval of a pull request', description: 'Withdraw the credential user\'s approval', module: unapprove },
		{ name: 'Update', value: 'update', action: 'Update a pull request', description: 'Change the title, description, destination, reviewers or draft state', module: update },
	],
};
