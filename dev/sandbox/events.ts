/**
 * Which webhook events an API change fires, with Bitbucket's event payload shapes (support.atlassian.com,
 * "Event payloads"): `actor` and `repository` on every event, plus `pullrequest` (+ `approval`, `comment`),
 * `push.changes[]`, `commit_status` or `issue` (+ `comment`). Derived from the route that ran and the state it
 * left, so route handlers stay as they are.
 */
import type { ApiResult, RouteContext, RouteDefinition } from './context';
import type { Links } from './links';
import type { BranchRecord, CommitRecord, PullRequestRecord, RepositoryRecord, SandboxState, TagRecord } from './model';
import { R } from './routes/common';
import { pullRequestView } from './routes/pullrequest-views';
import { accountView, commitView, repositoryView, type Json } from './views';

export interface HookEvent {
	key: string;
	repo: RepositoryRecord;
	payload: Json;
}

type Builder = (ctx: RouteContext, result: ApiResult, repo: RepositoryRecord) => HookEvent[];

function base(ctx: RouteContext, repo: RepositoryRecord): Json {
	return { actor: accountView(ctx.links, ctx.principal.user), repository: repositoryView(ctx.links, repo) };
}

function prEvent(key: string, extra: (ctx: RouteContext, result: ApiResult) => Json = () => ({})): Builder {
	return (ctx, result, repo) => {
		const pr = pullRequestOf(ctx.state, repo, ctx.params['pull_request_id'] ?? String((result.json as { id?: unknown })?.id ?? ''));
		if (!pr) return [];
		return [{ key, repo, payload: { ...base(ctx, repo), pullrequest: pullRequestView(ctx.links, repo, pr), ...extra(ctx, result) } }];
	};
}

function pullRequestOf(state: SandboxState, repo: RepositoryRecord, id: string): PullRequestRecord | undefined {
	return /^\d+$/.test(id) ? state.pullRequest(repo, Number(id)) : undefined;
}

/** One `push.changes[]` entry: a ref created, moved or deleted. */
export function pushChange(
	links: Links,
	repo: RepositoryRecord,
	kind: 'branch' | 'tag',
	name: string,
	before: CommitRecord | null,
	after: CommitRecord | null,
	commits: CommitRecord[] = after ? [after] : [],
): Json {
	const refView = (commit: CommitRecord | null) => (commit ? { type: kind, name, target: commitView(links, repo, commit) } : null);
	return {
		old: refView(before),
		new: refView(after),
		created: before === null,
		closed: after === null,
		forced: false,
		truncated: commits.length > 5,
		commits: commits.slice(0, 5).map((c) => commitView(links, repo, c)),
	};
}

export function pushEvent(ctx: { links: Links; principal: RouteContext['principal'] }, repo: RepositoryRecord, changes: Json[]): HookEvent {
	return {
		key: 'repo:push',
		repo,
		payload: { actor: accountView(ctx.links, ctx.principal.user), repository: repositoryView(ctx.links, repo), push: { changes } },
	};
}

/** Deleted refs are gone from the state when the event is built: the route remembers them here first. */
const deletedRefs = new WeakMap<RouteContext, BranchRecord | TagRecord>();

export function rememberDeletedRef(ctx: RouteContext, ref: BranchRecord | TagRecord): void {
	deletedRefs.set(ctx, ref);
}

const BUILDERS: Array<{ method: string; path: string; build: Builder }> = [
	{ method: 'POST', path: `${R}/pullrequests`, build: prEvent('pullrequest:created') },
	{ method: 'PUT', path: `${R}/pullrequests/:pull_request_id`, build: prEvent('pullrequest:updated') },
	{
		method: 'POST',
		path: `${R}/pullrequests/:pull_request_id/approve`,
		build: prEvent('pullrequest:approved', (ctx) => ({ approval: { date: ctx.state.clock.now(), user: accountView(ctx.links, ctx.principal.user) } })),
	},
	{
		method: 'DELETE',
		path: `${R}/pullrequests/:pull_request_id/approve`,
		build: prEvent('pullrequest:unapproved', (ctx) => ({ approval: { date: ctx.state.clock.now(), user: accountView(ctx.links, ctx.principal.user) } })),
	},
	{ method: 'POST', path: `${R}/pullrequests/:pull_request_id/request-changes`, build: prEvent('pullrequest:changes_request_created') },
	{ method: 'POST', path: `${R}/pullrequests/:pull_request_id/decline`, build: prEvent('pullrequest:rejected') },
	{
		method: 'POST',
		path: `${R}/pullrequests/:pull_request_id/merge`,
		// A 202 merge fires when the task completes (the task-status poll below).
		build: (ctx, result, repo) => (result.status === 200 ? prEvent('pullrequest:fulfilled')(ctx, result, repo) : []),
	},
	{
		method: 'GET',
		path: `${R}/pullrequests/:pull_request_id/merge/task-status/:task_id`,
		build: (ctx, result, repo) => {
			const pr = pullRequestOf(ctx.state, repo, ctx.params['pull_request_id']);
			const task = repo.mergeTasks.find((t) => t.id === ctx.params['task_id']);
			// Only the poll that completed the merge fires (the task counts its polls).
			if (!pr || !task || task.status !== 'SUCCESS' || task.polls !== ctx.state.mergePendingPolls + 1) return [];
			return prEvent('pullrequest:fulfilled')(ctx, result, repo);
		},
	},
	{
		method: 'POST',
		path: `${R}/pullrequests/:pull_request_id/comments`,
		build: prEvent('pullrequest:comment_created', (_ctx, result) => ({ comment: result.json as Json })),
	},
	{
		method: 'POST',
		path: `${R}/refs/branches`,
		build: (ctx, result, repo) => {
			const name = String((result.json as { name?: unknown })?.name ?? '');
			const branch = ctx.state.branch(repo, name);
			return branch ? [pushEvent(ctx, repo, [pushChange(ctx.links, repo, 'branch', name, null, branch.target)])] : [];
		},
	},
	{
		method: 'DELETE',
		path: `${R}/refs/branches/:name`,
		build: (ctx, _result, repo) => {
			const ref = deletedRefs.get(ctx);
			return ref ? [pushEvent(ctx, repo, [pushChange(ctx.links, repo, 'branch', ref.name, ref.target, null)])] : [];
		},
	},
	{
		method: 'POST',
		path: `${R}/refs/tags`,
		build: (ctx, result, repo) => {
			const name = String((result.json as { name?: unknown })?.name ?? '');
			const tag = repo.tags.find((t) => t.name === name);
			return tag ? [pushEvent(ctx, repo, [pushChange(ctx.links, repo, 'tag', name, null, tag.target)])] : [];
		},
	},
	{
		method: 'POST',
		path: `${R}/commit/:commit/statuses/build`,
		build: (ctx, result, repo) => {
			const status = result.json as Json;
			const key = result.updated ? 'repo:commit_status_updated' : 'repo:commit_status_created';
			return [{ key, repo, payload: { ...base(ctx, repo), commit_status: status } }];
		},
	},
	{ method: 'POST', path: `${R}/issues`, build: issueEvent('issue:created') },
	{ method: 'PUT', path: `${R}/issues/:issue_id`, build: issueEvent('issue:updated') },
	{ method: 'POST', path: `${R}/issues/:issue_id/comments`, build: issueEvent('issue:comment_created') },
];

function issueEvent(key: string): Builder {
	return (ctx, result, repo) => {
		const id = Number(ctx.params['issue_id'] ?? (result.json as { id?: unknown })?.id);
		const issue = repo.issues.find((i) => i.id === id);
		if (!issue) return [];
		const payload: Json = { ...base(ctx, repo), issue: { type: 'issue', id: issue.id, title: issue.title, state: issue.state, kind: issue.kind, priority: issue.priority, updated_on: issue.updated_on } };
		if (key === 'issue:comment_created') payload.comment = result.json as Json;
		return [{ key, repo, payload }];
	};
}

/** The events a successful API call fires (none for a failed one). */
export function eventsFor(route: RouteDefinition, ctx: RouteContext, result: ApiResult): HookEvent[] {
	if (result.status >= 300) return [];
	const builder = BUILDERS.find((b) => b.method === route.method && b.path === route.path);
	if (!builder) return [];
	const repo = ctx.state.repo(ctx.params['workspace'] ?? '', ctx.params['repo_slug'] ?? '');
	return repo ? builder.build(ctx, result, repo) : [];
}
