import { filterByQuery, sortBy } from '../bbql';
import { json, type RouteContext, type RouteDefinition } from '../context';
import { badRequest, invalidFields } from '../errors';
import { ancestry } from '../history';
import type { AccountRecord, BranchRecord, PullRequestRecord, PullRequestState, RepositoryRecord } from '../model';
import { memoList } from '../cache';
import { PULL_REQUEST_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { isObject, nested, objectBody, optionalBoolean, optionalString, R, repositoryOf, requiredString, SCOPES, type JsonObject } from './common';
import { PR_COLLECTION_HIDDEN, pullRequestOf, pullRequestView } from './pullrequest-views';

const STATES: readonly PullRequestState[] = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];

/** Pull-request lists refuse pages larger than 50 (400 "Invalid pagelen"), unlike most collections (100). */
export const PULL_REQUEST_MAX_PAGELEN = 50;

function listPullRequests(ctx: RouteContext): JsonObject {
	const repo = repositoryOf(ctx);
	const requested = ctx.query.all('state').map((s) => s.toUpperCase());
	const invalid = requested.filter((s) => !STATES.some((known) => known === s));
	if (invalid.length > 0) throw badRequest(`Invalid state: ${invalid.join(', ')}`, { detail: `state must be one of ${STATES.join(', ')}` });
	const q = ctx.query.get('q');
	// Without a state parameter Bitbucket lists OPEN pull requests only (unless the query itself filters on state).
	const states = requested.length > 0 ? requested : q && /\bstate\b/.test(q) ? [...STATES] : ['OPEN'];
	const items = memoList(ctx, () => {
		const newestFirst: PullRequestRecord[] = [];
		for (let i = repo.pullRequests.length - 1; i >= 0; i--) {
			const pr = repo.pullRequests[i];
			if (states.includes(pr.state)) newestFirst.push(pr);
		}
		return sortBy(filterByQuery(newestFirst, q), ctx.query.get('sort'));
	});
	return { ...paginate(ctx, items, (pr) => pullRequestView(ctx.links, repo, pr), { maxPagelen: PULL_REQUEST_MAX_PAGELEN, cacheAs: PULL_REQUEST_VIEW }) };
}

function branchNamed(ctx: RouteContext, repo: RepositoryRecord, body: JsonObject, side: 'source' | 'destination'): BranchRecord | undefined {
	const name = nested(body, side, 'branch', 'name');
	if (name === undefined || name === null) return undefined;
	if (typeof name !== 'string' || name === '') throw invalidFields({ [side]: ['Branch name must be a non-empty string.'] });
	const branch = ctx.state.branch(repo, name);
	if (!branch) throw badRequest('Bad request', { fields: { [side]: [`Branch "${name}" not found in ${repo.full_name}.`] } });
	return branch;
}

function reviewersOf(ctx: RouteContext, body: JsonObject, author: AccountRecord): AccountRecord[] | undefined {
	const raw = body['reviewers'];
	if (raw === undefined || raw === null) return undefined;
	if (!Array.isArray(raw)) throw invalidFields({ reviewers: ['Expected a list of users.'] });
	const reviewers: AccountRecord[] = [];
	for (const entry of raw) {
		const id = isObject(entry) ? (entry['uuid'] ?? entry['account_id']) : undefined;
		const user = typeof id === 'string' ? ctx.state.user(id) : undefined;
		if (!user) throw invalidFields({ reviewers: [`Malformed reviewers list: ${JSON.stringify(entry)} is not a known user.`] });
		if (user === author) throw invalidFields({ reviewers: [`${author.display_name} is the author and cannot be included as a reviewer.`] });
		if (!reviewers.includes(user)) reviewers.push(user);
	}
	return reviewers;
}

function createPullRequest(ctx: RouteContext): PullRequestRecord {
	const repo = repositoryOf(ctx);
	const body = objectBody(ctx);
	const title = requiredString(body, 'title');
	const source = branchNamed(ctx, repo, body, 'source');
	if (!source) throw invalidFields({ source: ['This field is required.'] });
	// Without a destination the pull request targets the repository's main branch.
	const destination = branchNamed(ctx, repo, body, 'destination') ?? ctx.state.branch(repo, repo.mainbranch.name);
	if (!destination) throw badRequest('Bad request', { fields: { destination: ['The repository has no main branch.'] } });
	if (source === destination || ancestry(ctx.state, repo, destination.target).has(source.target.hash)) {
		throw badRequest('There are no changes to be pulled');
	}
	const duplicate = repo.pullRequests.find((p) => p.state === 'OPEN' && p.source.branch.name === source.name && p.destination.branch.name === destination.name);
	if (duplicate) {
		// Bitbucket allows one open pull request per source and destination branch.
		throw badRequest('There is already an open pull request for this source branch.', {
			detail: `Pull request #${duplicate.id} is open from ${source.name} to ${destination.name}.`,
			data: { id: duplicate.id },
		});
	}
	const author = ctx.principal.user;
	const reviewers = reviewersOf(ctx, body, author) ?? [];
	const now = ctx.state.clock.now();
	const id = repo.pullRequests.reduce((max, p) => Math.max(max, p.id), 0) + 1;
	const repoRef = { uuid: repo.uuid, name: repo.name, full_name: repo.full_name };
	const description = optionalString(body, 'description') ?? '';
	const pr: PullRequestRecord = {
		id,
		title,
		description,
		state: 'OPEN',
		author,
		source: { branch: { name: source.name }, commit: { hash: source.target.hash }, repository: repoRef },
		destination: { branch: { name: destination.name }, commit: { hash: destination.target.hash }, repository: repoRef },
		reviewers,
		participants: reviewers.map((user) => ({ user, role: 'REVIEWER', approved: false, state: null, participated_on: null })),
		close_source_branch: optionalBoolean(body, 'close_source_branch') ?? false,
		draft: optionalBoolean(body, 'draft') ?? false,
		queued: false,
		created_on: now,
		updated_on: now,
		comment_count: 0,
		task_count: 0,
		merge_commit: null,
		closed_by: null,
		reason: '',
		comments: [],
		activity: [{ kind: 'update', date: now, user: author, state: 'OPEN', title, description, reason: '' }],
		asyncMerge: id % 5 === 0,
	};
	repo.pullRequests.push(pr);
	return pr;
}

function updatePullRequest(ctx: RouteContext): PullRequestRecord {
	const { repo, pr } = pullRequestOf(ctx);
	const body = objectBody(ctx);
	if (pr.state !== 'OPEN') throw badRequest(`Pull request #${pr.id} is ${pr.state} and can no longer be updated.`);
	const title = optionalString(body, 'title');
	if (title !== undefined && title.trim() === '') throw invalidFields({ title: ['This field may not be blank.'] });
	const destination = branchNamed(ctx, repo, body, 'destination');
	const reviewers = reviewersOf(ctx, body, pr.author);
	if (title !== undefined) pr.title = title;
	const description = optionalString(body, 'description');
	if (description !== undefined) pr.description = description;
	if (destination) pr.destination = { ...pr.destination, branch: { name: destination.name }, commit: { hash: destination.target.hash } };
	if (reviewers) {
		pr.reviewers = reviewers;
		pr.participants = [
			...pr.participants.filter((p) => p.role === 'PARTICIPANT' || reviewers.includes(p.user)),
			...reviewers.filter((r) => !pr.participants.some((p) => p.user === r)).map((user) => ({ user, role: 'REVIEWER' as const, approved: false, state: null, participated_on: null })),
		];
	}
	const closeSource = optionalBoolean(body, 'close_source_branch');
	if (closeSource !== undefined) pr.close_source_branch = closeSource;
	const draft = optionalBoolean(body, 'draft');
	if (draft !== undefined) pr.draft = draft;
	pr.updated_on = ctx.state.clock.now();
	pr.activity.push({ kind: 'update', date: pr.updated_on, user: ctx.principal.user, state: pr.state, title: pr.title, description: pr.description, reason: '' });
	return pr;
}

export const pullRequestRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/pullrequests`,
		scopes: SCOPES.readPr,
		access: 'repository',
		handle: (ctx) => json(200, listPullRequests(ctx), { hidden: PR_COLLECTION_HIDDEN }),
	},
	{
		method: 'POST',
		path: `${R}/pullrequests`,
		scopes: SCOPES.writePr,
		access: 'repository',
		handle: (ctx) => {
			const pr = createPullRequest(ctx);
			const repo = repositoryOf(ctx);
			return json(201, pullRequestView(ctx.links, repo, pr), { headers: { location: ctx.links.repoApi(repo, 'pullrequests', pr.id) } });
		},
	},
	{
		method: 'GET',
		path: `${R}/pullrequests/:pull_request_id`,
		scopes: SCOPES.readPr,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pr } = pullRequestOf(ctx);
			return json(200, pullRequestView(ctx.links, repo, pr));
		},
	},
	{
		method: 'PUT',
		path: `${R}/pullrequests/:pull_request_id`,
		scopes: SCOPES.writePr,
		access: 'repository',
		handle: (ctx) => {
			const pr = updatePullRequest(ctx);
			return json(200, pullRequestView(ctx.links, repositoryOf(ctx), pr));
		},
	},
];
