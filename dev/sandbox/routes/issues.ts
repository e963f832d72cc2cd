import { filterByQuery, sortBy } from '../bbql';
import { json, type ApiResult, type RouteContext, type RouteDefinition } from '../context';
import { invalidFields, notFound } from '../errors';
import { href, type Links } from '../links';
import type { AccountRecord, CommentRecord, IssueKind, IssuePriority, IssueRecord, IssueState, RepositoryRecord } from '../model';
import { memoList } from '../cache';
import { ISSUE_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { accountView, rendered, repositoryRefView, type Json } from '../views';
import { integerParam, isObject, nested, objectBody, optionalString, R, repositoryOf, requiredString, SCOPES, type JsonObject } from './common';

const STATES: readonly IssueState[] = ['submitted', 'new', 'open', 'resolved', 'on hold', 'invalid', 'duplicate', 'wontfix', 'closed'];
const KINDS: readonly IssueKind[] = ['bug', 'enhancement', 'proposal', 'task'];
const PRIORITIES: readonly IssuePriority[] = ['trivial', 'minor', 'major', 'critical', 'blocker'];

function choice<T extends string>(body: JsonObject, name: string, allowed: readonly T[]): T | undefined {
	const value = optionalString(body, name);
	if (value === undefined) return undefined;
	const match = allowed.find((a) => a === value);
	if (!match) throw invalidFields({ [name]: [`"${value}" is not a valid choice.`] });
	return match;
}

/** Repositories with the tracker turned off answer 404 on every issue endpoint. */
function trackerOf(ctx: RouteContext): RepositoryRecord {
	const repo = repositoryOf(ctx);
	if (!repo.has_issues) throw notFound('Repository has no issue tracker.');
	return repo;
}

function issueOf(ctx: RouteContext): { repo: RepositoryRecord; issue: IssueRecord } {
	const repo = trackerOf(ctx);
	const id = integerParam(ctx, 'issue_id', 'Issue');
	const issue = repo.issues.find((i) => i.id === id);
	if (!issue) throw notFound(`Issue #${id} does not exist`);
	return { repo, issue };
}

function assigneeOf(ctx: RouteContext, body: JsonObject): AccountRecord | null | undefined {
	if (!('assignee' in body)) return undefined;
	const raw = body['assignee'];
	if (raw === null) return null;
	const id = isObject(raw) ? (raw['uuid'] ?? raw['account_id']) : undefined;
	const user = typeof id === 'string' ? ctx.state.user(id) : undefined;
	if (!user) throw invalidFields({ assignee: ['Not a known user.'] });
	return user;
}

function issueView(links: Links, repo: RepositoryRecord, issue: IssueRecord): Json {
	const api = (...s: Array<string | number>): { href: string } => href(links.repoApi(repo, 'issues', issue.id, ...s));
	return {
		type: 'issue',
		id: issue.id,
		repository: repositoryRefView(links, repo),
		links: { self: api(), html: href(links.repoHtml(repo, 'issues', issue.id)), comments: api('comments'), attachments: api('attachments'), watch: api('watch'), vote: api('vote') },
		title: issue.title,
		reporter: accountView(links, issue.reporter),
		assignee: issue.assignee ? accountView(links, issue.assignee) : null,
		created_on: issue.created_on,
		updated_on: issue.updated_on,
		edited_on: issue.edited_on,
		state: issue.state,
		kind: issue.kind,
		priority: issue.priority,
		milestone: null,
		version: null,
		component: null,
		votes: issue.votes,
		content: rendered(issue.content.raw),
	};
}

function issueCommentView(links: Links, repo: RepositoryRecord, issue: IssueRecord, comment: CommentRecord): Json {
	return {
		type: 'issue_comment',
		id: comment.id,
		created_on: comment.created_on,
		updated_on: comment.updated_on,
		content: rendered(comment.content.raw),
		user: accountView(links, comment.user),
		issue: { type: 'issue', id: issue.id, title: issue.title, repository: repositoryRefView(links, repo), links: { self: href(links.repoApi(repo, 'issues', issue.id)) } },
		links: { self: href(links.repoApi(repo, 'issues', issue.id, 'comments', comment.id)), html: href(`${links.repoHtml(repo, 'issues', issue.id)}#comment-${comment.id}`) },
	};
}

function createIssue(ctx: RouteContext): ApiResult {
	const repo = trackerOf(ctx);
	const body = objectBody(ctx);
	const title = requiredString(body, 'title');
	const raw = nested(body, 'content', 'raw');
	const now = ctx.state.clock.now();
	const issue: IssueRecord = {
		id: repo.issues.reduce((max, i) => Math.max(max, i.id), 0) + 1,
		title,
		content: { raw: typeof raw === 'string' ? raw : '' },
		reporter: ctx.principal.user,
		assignee: assigneeOf(ctx, body) ?? null,
		state: choice(body, 'state', STATES) ?? 'new',
		kind: choice(body, 'kind', KINDS) ?? 'bug',
		priority: choice(body, 'priority', PRIORITIES) ?? 'major',
		votes: 0,
		created_on: now,
		updated_on: now,
		edited_on: null,
		comments: [],
	};
	repo.issues.push(issue);
	return json(201, issueView(ctx.links, repo, issue), { headers: { location: ctx.links.repoApi(repo, 'issues', issue.id) } });
}

function updateIssue(ctx: RouteContext): ApiResult {
	const { repo, issue } = issueOf(ctx);
	const body = objectBody(ctx);
	const title = optionalString(body, 'title');
	if (title !== undefined && title.trim() === '') throw invalidFields({ title: ['This field may not be blank.'] });
	const state = choice(body, 'state', STATES);
	const kind = choice(body, 'kind', KINDS);
	const priority = choice(body, 'priority', PRIORITIES);
	const assignee = assigneeOf(ctx, body);
	const raw = nested(body, 'content', 'raw');
	const now = ctx.state.clock.now();
	if (title !== undefined) issue.title = title;
	if (typeof raw === 'string') {
		issue.content = { raw };
		issue.edited_on = now;
	}
	if (state) issue.state = state;
	if (kind) issue.kind = kind;
	if (priority) issue.priority = priority;
	if (assignee !== undefined) issue.assignee = assignee;
	issue.updated_on = now;
	return json(200, issueView(ctx.links, repo, issue));
}

function addComment(ctx: RouteContext): ApiResult {
	const { repo, issue } = issueOf(ctx);
	const body = objectBody(ctx);
	const raw = nested(body, 'content', 'raw');
	if (typeof raw !== 'string' || raw.trim() === '') throw invalidFields({ content: ['This field is required.'] });
	const now = ctx.state.clock.now();
	const comment: CommentRecord = { id: ctx.state.nextSerial() + 800000, content: { raw }, user: ctx.principal.user, created_on: now, updated_on: now, deleted: false, parent_id: null, inline: null };
	issue.comments.push(comment);
	issue.updated_on = now;
	return json(201, issueCommentView(ctx.links, repo, issue, comment), { headers: { location: ctx.links.repoApi(repo, 'issues', issue.id, 'comments', comment.id) } });
}

export const issueRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/issues`,
		scopes: SCOPES.readIssue,
		access: 'repository',
		handle: (ctx) => {
			const repo = trackerOf(ctx);
			const items = memoList(ctx, () => sortBy(filterByQuery(repo.issues, ctx.query.get('q')), ctx.query.get('sort')));
			return json(200, paginate(ctx, items, (i) => issueView(ctx.links, repo, i), { cacheAs: ISSUE_VIEW }));
		},
	},
	{ method: 'POST', path: `${R}/issues`, scopes: SCOPES.writeIssue, access: 'repository', handle: createIssue },
	{
		method: 'GET',
		path: `${R}/issues/:issue_id`,
		scopes: SCOPES.readIssue,
		access: 'repository',
		handle: (ctx) => {
			const { repo, issue } = issueOf(ctx);
			return json(200, issueView(ctx.links, repo, issue));
		},
	},
	{ method: 'PUT', path: `${R}/issues/:issue_id`, scopes: SCOPES.writeIssue, access: 'repository', handle: updateIssue },
	{
		method: 'GET',
		path: `${R}/issues/:issue_id/comments`,
		scopes: SCOPES.readIssue,
		access: 'repository',
		handle: (ctx) => {
			const { repo, issue } = issueOf(ctx);
			const items = sortBy(filterByQuery(issue.comments, ctx.query.get('q')), ctx.query.get('sort'));
			return json(200, paginate(ctx, items, (c) => issueCommentView(ctx.links, repo, issue, c)));
		},
	},
	{ method: 'POST', path: `${R}/issues/:issue_id/comments`, scopes: SCOPES.writeIssue, access: 'repository', handle: addComment },
];
