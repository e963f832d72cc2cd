import { filterByQuery, sortBy } from '../bbql';
import { json, type RouteContext, type RouteDefinition } from '../context';
import { ApiError, invalidFields, notFound } from '../errors';
import { commitsBetween, touchesPath } from '../history';
import type { BuildStatusRecord, CommitRecord, RepositoryRecord } from '../model';
import { memoList } from '../cache';
import { COMMIT_VIEW } from '../view-keys';
import { paginate, paginateByHash } from '../pagination';
import { buildStatusView, commitView, type Json } from '../views';
import { objectBody, optionalString, R, repositoryOf, requiredString, SCOPES } from './common';

const STATUS_STATES: ReadonlyArray<BuildStatusRecord['state']> = ['SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'];

function revision(ctx: RouteContext, repo: RepositoryRecord, name: string): CommitRecord {
	const commit = ctx.state.resolveRevision(repo, name);
	if (!commit) throw new ApiError(404, `Commit not found`, { data: { shas: [name] } });
	return commit;
}

function listCommits(ctx: RouteContext): Json {
	const repo = repositoryOf(ctx);
	const commits = memoList(ctx, () => {
		const heads = ctx.params['revision'] !== undefined ? [ctx.params['revision']] : [];
		heads.push(...ctx.query.all('include'));
		const include = heads.map((h) => revision(ctx, repo, h));
		const exclude = ctx.query.all('exclude').map((h) => revision(ctx, repo, h));
		const all = include.length === 0 && exclude.length === 0;
		const selected = all ? repo.commits : commitsBetween(ctx.state, repo, include.length > 0 ? include : repo.branches.map((b) => b.target), exclude);
		const path = ctx.query.get('path');
		return path ? selected.filter((c) => touchesPath(c, path)) : selected;
	});
	// Commits use iterator pagination: the cursor is a hash and the envelope has no size.
	return { ...paginateByHash(ctx, commits, (c: CommitRecord) => commitView(ctx.links, repo, c), { cacheAs: COMMIT_VIEW }) };
}

export const commitRouteDefinitions: RouteDefinition[] = [
	{ method: 'GET', path: `${R}/commits`, scopes: SCOPES.readRepo, access: 'repository', handle: (ctx) => json(200, listCommits(ctx)) },
	{ method: 'GET', path: `${R}/commits/:revision`, scopes: SCOPES.readRepo, access: 'repository', handle: (ctx) => json(200, listCommits(ctx)) },
	{
		method: 'GET',
		path: `${R}/commit/:commit`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const commit = ctx.state.commit(repo, ctx.params['commit']);
			if (!commit) throw new ApiError(404, 'Commit not found', { data: { shas: [ctx.params['commit']] } });
			return json(200, { ...commitView(ctx.links, repo, commit), participants: [] });
		},
	},
	{
		method: 'GET',
		path: `${R}/commit/:commit/statuses`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const commit = revision(ctx, repo, ctx.params['commit']);
			const refname = ctx.query.get('refname');
			const statuses = repo.statuses.filter((s) => s.commit === commit.hash && (refname === undefined || s.refname === refname || s.refname === null));
			const items = sortBy(filterByQuery(statuses, ctx.query.get('q')), ctx.query.get('sort'));
			return json(200, paginate(ctx, items, (s) => buildStatusView(ctx.links, repo, s)));
		},
	},
	{
		method: 'GET',
		path: `${R}/commit/:commit/statuses/build/:key`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const commit = revision(ctx, repo, ctx.params['commit']);
			const status = repo.statuses.find((s) => s.commit === commit.hash && s.key === ctx.params['key']);
			if (!status) throw notFound(`No build status ${ctx.params['key']} on ${commit.hash}`);
			return json(200, buildStatusView(ctx.links, repo, status));
		},
	},
	{
		method: 'POST',
		path: `${R}/commit/:commit/statuses/build`,
		// The spec asks only read:repository for posting a build status.
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const commit = revision(ctx, repo, ctx.params['commit']);
			const body = objectBody(ctx);
			const key = requiredString(body, 'key');
			const state = requiredString(body, 'state');
			const knownState = STATUS_STATES.find((s) => s === state);
			if (!knownState) throw invalidFields({ state: [`"${state}" is not a valid choice.`] });
			const url = requiredString(body, 'url');
			const now = ctx.state.clock.now();
			const existing = repo.statuses.find((s) => s.commit === commit.hash && s.key === key);
			const status: BuildStatusRecord = {
				key,
				commit: commit.hash,
				refname: optionalString(body, 'refname') ?? null,
				url,
				state: knownState,
				name: optionalString(body, 'name') ?? key,
				description: optionalString(body, 'description') ?? '',
				created_on: existing?.created_on ?? now,
				updated_on: now,
			};
			if (existing) repo.statuses.splice(repo.statuses.indexOf(existing), 1, status);
			else repo.statuses.push(status);
			// Bitbucket answers 201 either way; the webhook tells a new status (created) from a changed one (updated).
			return json(201, buildStatusView(ctx.links, repo, status), { updated: existing !== undefined });
		},
	},
];
