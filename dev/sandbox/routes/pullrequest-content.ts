import { filterByQuery, sortBy } from '../bbql';
import { json, type ApiResult, type RouteContext, type RouteDefinition } from '../context';
import { invalidFields } from '../errors';
import { commitsBetween } from '../history';
import type { CommentRecord, CommitRecord, PullRequestRecord, RepositoryRecord } from '../model';
import { COMMIT_VIEW } from '../view-keys';
import { paginate, paginateByHash } from '../pagination';
import { commitView } from '../views';
import { isObject, nested, objectBody, R, SCOPES } from './common';
import { activityView, commentView, pullRequestOf } from './pullrequest-views';

function pullRequestCommits(ctx: RouteContext, repo: RepositoryRecord, pr: PullRequestRecord): CommitRecord[] {
	const source = ctx.state.commit(repo, pr.source.commit.hash);
	const destination = ctx.state.commit(repo, pr.destination.commit.hash);
	if (!source) return [];
	const commits = destination ? commitsBetween(ctx.state, repo, [source], [destination]) : [source];
	if (commits.length > 0 || !pr.merge_commit) return commits;
	// Once merged, the PR's commits are those of the source that were not on the destination before the merge.
	const merge = ctx.state.commit(repo, pr.merge_commit.hash);
	const before = merge?.parents[0] ? ctx.state.commit(repo, merge.parents[0]) : undefined;
	return before ? commitsBetween(ctx.state, repo, [source], [before]) : [];
}

/** PR diff and diffstat answer 302 to the repository diff/diffstat of `source..destination`. */
function redirectTo(kind: 'diff' | 'diffstat'): (ctx: RouteContext) => ApiResult {
	return (ctx) => {
		const { repo, pr } = pullRequestOf(ctx);
		const spec = `${pr.source.commit.hash.slice(0, 12)}..${pr.destination.commit.hash.slice(0, 12)}`;
		const params = new URLSearchParams();
		for (const [name, value] of ctx.query.entries) params.append(name, value);
		params.set('from_pullrequest_id', String(pr.id));
		params.set('topic', 'true');
		return { status: 302, headers: { location: `${ctx.links.repoApi(repo, kind, spec)}?${params.toString()}` } };
	};
}

function addComment(ctx: RouteContext): ApiResult {
	const { repo, pr } = pullRequestOf(ctx);
	const body = objectBody(ctx);
	const raw = nested(body, 'content', 'raw');
	if (typeof raw !== 'string' || raw.trim() === '') throw invalidFields({ content: ['This field is required.'] });
	const parentId = nested(body, 'parent', 'id');
	if (parentId !== undefined && !pr.comments.some((c) => c.id === parentId)) throw invalidFields({ parent: [`No comment ${String(parentId)} on this pull request.`] });
	const inline = body['inline'];
	const now = ctx.state.clock.now();
	const comment: CommentRecord = {
		id: ctx.state.nextSerial() + 900000,
		content: { raw },
		user: ctx.principal.user,
		created_on: now,
		updated_on: now,
		deleted: false,
		parent_id: typeof parentId === 'number' ? parentId : null,
		inline:
			isObject(inline) && typeof inline['path'] === 'string'
				? { path: inline['path'], from: typeof inline['from'] === 'number' ? inline['from'] : null, to: typeof inline['to'] === 'number' ? inline['to'] : null }
				: null,
	};
	pr.comments.push(comment);
	pr.comment_count = pr.comments.filter((c) => !c.deleted).length;
	pr.updated_on = now;
	pr.activity.push({ kind: 'comment', date: now, comment });
	if (comment.user !== pr.author && !pr.participants.some((p) => p.user === comment.user)) {
		pr.participants.push({ user: comment.user, role: 'PARTICIPANT', approved: false, state: null, participated_on: now });
	}
	return json(201, commentView(ctx.links, repo, pr, comment), { headers: { location: ctx.links.repoApi(repo, 'pullrequests', pr.id, 'comments', comment.id) } });
}

const P = `${R}/pullrequests/:pull_request_id`;

export const pullRequestContentRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${P}/commits`,
		scopes: SCOPES.readPr,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pr } = pullRequestOf(ctx);
			return json(200, paginateByHash(ctx, pullRequestCommits(ctx, repo, pr), (c) => commitView(ctx.links, repo, c), { cacheAs: COMMIT_VIEW }));
		},
	},
	{ method: 'GET', path: `${P}/diffstat`, scopes: SCOPES.readPr, access: 'repository', handle: redirectTo('diffstat') },
	{ method: 'GET', path: `${P}/diff`, scopes: SCOPES.readPr, access: 'repository', handle: redirectTo('diff') },
	{
		method: 'GET',
		path: `${P}/activity`,
		scopes: SCOPES.readPr,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pr } = pullRequestOf(ctx);
			const newestFirst = [...pr.activity].reverse();
			return json(200, paginate(ctx, newestFirst, (a) => activityView(ctx.links, repo, pr, a), { pages: 'opaque' }));
		},
	},
	{
		method: 'GET',
		path: `${P}/comments`,
		scopes: SCOPES.readPr,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pr } = pullRequestOf(ctx);
			const items = sortBy(filterByQuery(pr.comments, ctx.query.get('q')), ctx.query.get('sort'));
			return json(200, paginate(ctx, items, (c) => commentView(ctx.links, repo, pr, c)));
		},
	},
	// The spec asks only read:pullrequest for commenting.
	{ method: 'POST', path: `${P}/comments`, scopes: SCOPES.readPr, access: 'repository', handle: addComment },
];
