import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WebhookScope } from '../../../shared/bitbucket/client';
import { repositoryLocator, workspaceLocator } from '../../descriptions/locators';
import { readRepo, readWorkspace, type Defaults } from '../../helpers/params';

/** Every event Bitbucket's webhook subscription accepts (from the API spec). */
export const WEBHOOK_EVENTS = [
	'issue:comment_created',
	'issue:created',
	'issue:updated',
	'pipeline:span_created',
	'project:updated',
	'pullrequest:approved',
	'pullrequest:changes_request_created',
	'pullrequest:changes_request_removed',
	'pullrequest:comment_created',
	'pullrequest:comment_deleted',
	'pullrequest:comment_reopened',
	'pullrequest:comment_resolved',
	'pullrequest:comment_updated',
	'pullrequest:created',
	'pullrequest:fulfilled',
	'pullrequest:push',
	'pullrequest:rejected',
	'pullrequest:unapproved',
	'pullrequest:updated',
	'repo:commit_comment_created',
	'repo:commit_status_created',
	'repo:commit_status_updated',
	'repo:created',
	'repo:deleted',
	'repo:fork',
	'repo:imported',
	'repo:push',
	'repo:transfer',
	'repo:updated',
];

export const scopeFields: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'Repository', value: 'repository', description: 'Events of one repository' },
			{ name: 'Workspace', value: 'workspace', description: 'Events of every repository in the workspace' },
		],
		default: 'repository',
	},
	workspaceLocator,
	{ ...repositoryLocator, displayOptions: { show: { scope: ['repository'] } } },
];

export function readScope(context: IExecuteFunctions, i: number, defaults: Defaults): WebhookScope {
	if (context.getNodeParameter('scope', i, 'repository') === 'workspace') {
		return { workspace: readWorkspace(context, i, defaults) };
	}
	const ref = readRepo(context, i, defaults);
	return { workspace: ref.workspace, repo: ref.repo };
}
