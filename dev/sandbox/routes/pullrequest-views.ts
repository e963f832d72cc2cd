import type { RouteContext } from '../context';
import { href, type Links } from '../links';
import type { ActivityRecord, CommentRecord, ParticipantRecord, PullRequestEndpoint, PullRequestRecord, RepositoryRecord } from '../model';
import { MERGE_STRATEGIES } from '../model';
import { accountView, commitRefView, DEFAULT_MERGE_STRATEGY, rendered, repositoryRefView, type Json } from '../views';
import { integerParam, repositoryOf } from './common';
import { notFound } from '../errors';

/** PR collections leave these out unless asked for with fields=+values.reviewers / +values.participants. */
export const PR_COLLECTION_HIDDEN = ['values.reviewers', 'values.participants'] as const;

function endpointView(links: Links, repo: RepositoryRecord, endpoint: PullRequestEndpoint, isDestination: boolean): Json {
	const branch: Json = { name: endpoint.branch.name };
	if (isDestination) {
		branch['merge_strategies'] = [...MERGE_STRATEGIES];
		branch['default_merge_strategy'] = DEFAULT_MERGE_STRATEGY;
	}
	// Commits inside pull requests carry 12-character abbreviated hashes.
	return { branch, commit: commitRefView(links, repo, endpoint.commit.hash, 12), repository: repositoryRefView(links, repo) };
}

export function participantView(links: Links, participant: ParticipantRecord): Json {
	return {
		type: 'participant',
		user: accountView(links, participant.user),
		role: participant.role,
		approved: participant.approved,
		state: participant.state,
		participated_on: participant.participated_on,
	};
}

export function pullRequestRefView(links: Links, repo: RepositoryRecord, pr: PullRequestRecord): Json {
	return {
		type: 'pullrequest',
		id: pr.id,
		title: pr.title,
		links: { self: href(links.repoApi(repo, 'pullrequests', pr.id)), html: href(links.repoHtml(repo, 'pull-requests', pr.id)) },
	};
}

export function pullRequestView(links: Links, repo: RepositoryRecord, pr: PullRequestRecord): Json {
	const api = (...s: Array<string | number>): { href: string } => href(links.repoApi(repo, 'pullrequests', pr.id, ...s));
	return {
		comment_count: pr.comment_count,
		task_count: pr.task_count,
		type: 'pullrequest',
		id: pr.id,
		title: pr.title,
		description: pr.description,
		rendered: { title: rendered(pr.title), description: rendered(pr.description), reason: rendered(pr.reason) },
		state: pr.state,
		draft: pr.draft,
		queued: pr.queued,
		merge_commit: pr.merge_commit ? commitRefView(links, repo, pr.merge_commit.hash, 12) : null,
		close_source_branch: pr.close_source_branch,
		closed_by: pr.closed_by ? accountView(links, pr.closed_by) : null,
		author: accountView(links, pr.author),
		reason: pr.reason,
		created_on: pr.created_on,
		updated_on: pr.updated_on,
		destination: endpointView(links, repo, pr.destination, true),
		source: endpointView(links, repo, pr.source, false),
		reviewers: pr.reviewers.map((r) => accountView(links, r)),
		participants: pr.participants.map((p) => participantView(links, p)),
		links: {
			self: api(),
			html: href(links.repoHtml(repo, 'pull-requests', pr.id)),
			commits: api('commits'),
			approve: api('approve'),
			'request-changes': api('request-changes'),
			diff: api('diff'),
			diffstat: api('diffstat'),
			comments: api('comments'),
			activity: api('activity'),
			merge: api('merge'),
			decline: api('decline'),
			statuses: api('statuses'),
		},
		summary: rendered(pr.description),
	};
}

export function commentView(links: Links, repo: RepositoryRecord, pr: PullRequestRecord, comment: CommentRecord): Json {
	const view: Json = {
		type: 'pullrequest_comment',
		id: comment.id,
		created_on: comment.created_on,
		updated_on: comment.updated_on,
		content: rendered(comment.content.raw),
		user: accountView(links, comment.user),
		deleted: comment.deleted,
		pending: false,
		pullrequest: pullRequestRefView(links, repo, pr),
		links: {
			self: href(links.repoApi(repo, 'pullrequests', pr.id, 'comments', comment.id)),
			html: href(`${links.repoHtml(repo, 'pull-requests', pr.id)}/_/diff#comment-${comment.id}`),
		},
	};
	if (comment.inline) view['inline'] = { ...comment.inline, outdated: false };
	if (comment.parent_id !== null) view['parent'] = { id: comment.parent_id, links: { self: href(links.repoApi(repo, 'pullrequests', pr.id, 'comments', comment.parent_id)) } };
	return view;
}

export function activityView(links: Links, repo: RepositoryRecord, pr: PullRequestRecord, item: ActivityRecord): Json {
	const ref = pullRequestRefView(links, repo, pr);
	switch (item.kind) {
		case 'update':
			return {
				update: {
					state: item.state,
					title: item.title,
					description: item.description,
					reason: item.reason,
					author: accountView(links, item.user),
					date: item.date,
					source: endpointView(links, repo, pr.source, false),
					destination: endpointView(links, repo, pr.destination, true),
				},
				pull_request: ref,
			};
		case 'approval':
			return { approval: { date: item.date, user: accountView(links, item.user), pullrequest: ref }, pull_request: ref };
		case 'changes_requested':
			return { changes_requested: { date: item.date, user: accountView(links, item.user), pullrequest: ref }, pull_request: ref };
		case 'comment':
			return { comment: commentView(links, repo, pr, item.comment), pull_request: ref };
	}
}

export function pullRequestOf(ctx: RouteContext): { repo: RepositoryRecord; pr: PullRequestRecord } {
	const repo = repositoryOf(ctx);
	const id = integerParam(ctx, 'pull_request_id', 'Pull request');
	const pr = ctx.state.pullRequest(repo, id);
	if (!pr) throw notFound(`Pull request #${id} does not exist`);
	return { repo, pr };
}
