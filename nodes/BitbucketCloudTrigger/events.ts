/**
 * The events the trigger offers: loaded from Bitbucket's `/hook_events/{subject_type}` when it answers, else this
 * list. Pipelines have no completion event: they report through build statuses, so
 * `repo:commit_status_created` / `repo:commit_status_updated` are offered as "pipeline or build finished".
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connect } from '../BitbucketCloud/transport';

export const BUILD_STATUS_EVENTS = ['repo:commit_status_created', 'repo:commit_status_updated'];

const KNOWN: Record<string, string> = {
	'repo:push': 'Push (branches and tags created, moved or deleted)',
	'repo:commit_status_created': 'Pipeline or Build Finished (build status created)',
	'repo:commit_status_updated': 'Pipeline or Build Finished (build status updated)',
	'repo:commit_comment_created': 'Commit Comment Created',
	'repo:fork': 'Repository Forked',
	'repo:updated': 'Repository Updated',
	'repo:transfer': 'Repository Transferred',
	'repo:imported': 'Repository Imported',
	'repo:created': 'Repository Created',
	'repo:deleted': 'Repository Deleted',
	'pullrequest:created': 'Pull Request Created',
	'pullrequest:updated': 'Pull Request Updated',
	'pullrequest:push': 'Pull Request Source Branch Pushed',
	'pullrequest:approved': 'Pull Request Approved',
	'pullrequest:unapproved': 'Pull Request Approval Removed',
	'pullrequest:changes_request_created': 'Pull Request Changes Requested',
	'pullrequest:changes_request_removed': 'Pull Request Change Request Removed',
	'pullrequest:fulfilled': 'Pull Request Merged',
	'pullrequest:rejected': 'Pull Request Declined',
	'pullrequest:comment_created': 'Pull Request Comment Created',
	'pullrequest:comment_updated': 'Pull Request Comment Updated',
	'pullrequest:comment_deleted': 'Pull Request Comment Deleted',
	'pullrequest:comment_resolved': 'Pull Request Comment Resolved',
	'pullrequest:comment_reopened': 'Pull Request Comment Reopened',
	'issue:created': 'Issue Created',
	'issue:updated': 'Issue Updated',
	'issue:comment_created': 'Issue Comment Created',
	'project:updated': 'Project Updated',
};

/** The events that exist on a repository (all but the workspace-only ones). */
const WORKSPACE_ONLY = new Set(['repo:created', 'repo:deleted', 'project:updated']);

function label(event: string, fallback?: string): string {
	return KNOWN[event] ?? fallback ?? event;
}

export function staticEvents(subject: string): INodePropertyOptions[] {
	return Object.keys(KNOWN)
		.filter((event) => subject === 'workspace' || !WORKSPACE_ONLY.has(event))
		.map((event) => ({ name: label(event), value: event, description: event }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Events list: Bitbucket's own for the subject, or the static list when Bitbucket cannot be asked. */
export async function getEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const subject = this.getCurrentNodeParameter('subject') === 'workspace' ? 'workspace' : 'repository';
	const loaded = await connect(this)
		.then(async ({ client }) => await client.webhooks.eventTypes(subject))
		.catch(() => undefined);
	if (!loaded?.length) return staticEvents(subject);
	return loaded
		.filter((e) => typeof e.event === 'string' && /^[a-z_]+:[a-z_]+$/.test(e.event))
		.map((e) => ({ name: label(e.event, e.label ? `${e.category ? `${e.category}: ` : ''}${e.label}` : undefined), value: e.event, description: e.description ?? e.event }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
