import { rememberDeletedRef } from '../events';
import { filterByQuery, sortBy } from '../bbql';
import { json, noContent, type RouteContext, type RouteDefinition } from '../context';
import { badRequest, invalidFields, notFound } from '../errors';
import type { ViewKey } from '../cache';
import type { Links } from '../links';
import type { BranchRecord, CommitRecord, RepositoryRecord, TagRecord } from '../model';
import { memoList } from '../cache';
import { BRANCH_VIEW, TAG_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { branchView, tagView, type Json } from '../views';
import { isObject, objectBody, optionalString, R, repositoryOf, requiredString, SCOPES } from './common';

/** git check-ref-format, roughly. */
export function validRefName(name: string): boolean {
	return (
		name.length > 0 &&
		!name.startsWith('/') &&
		!name.endsWith('/') &&
		!name.endsWith('.lock') &&
		!name.startsWith('refs/') &&
		!name.includes('..') &&
		!name.includes('//') &&
		!/[\s~^:?*[\\]|@\{/.test(name)
	);
}

function targetOf(ctx: RouteContext, repo: RepositoryRecord, body: Record<string, unknown>): CommitRecord {
	const target = body['target'];
	const hash = isObject(target) ? target['hash'] : undefined;
	if (typeof hash !== 'string' || hash === '') throw invalidFields({ target: ['This field is required.'] });
	const commit = ctx.state.resolveRevision(repo, hash);
	if (!commit) throw badRequest(`Commit "${hash}" not found.`, { fields: { 'target.hash': [`No commit ${hash} in ${repo.full_name}.`] } });
	return commit;
}

function refName(body: Record<string, unknown>): string {
	const name = requiredString(body, 'name');
	if (!validRefName(name)) throw invalidFields({ name: [`"${name}" is not a valid ref name.`] });
	return name;
}

/** What the list and get routes of branches and of tags differ in. */
interface RefKind<T extends BranchRecord | TagRecord> {
	segment: 'branches' | 'tags';
	label: string;
	all: (repo: RepositoryRecord) => T[];
	view: (links: Links, repo: RepositoryRecord, ref: T) => Json;
	cacheAs: ViewKey<T>;
}

const BRANCHES: RefKind<BranchRecord> = { segment: 'branches', label: 'Branch', all: (repo) => repo.branches, view: branchView, cacheAs: BRANCH_VIEW };
const TAGS: RefKind<TagRecord> = { segment: 'tags', label: 'Tag', all: (repo) => repo.tags, view: tagView, cacheAs: TAG_VIEW };

/** The refs by name, filtered (q) and sorted (sort). */
function listRoute<T extends BranchRecord | TagRecord>(kind: RefKind<T>): RouteDefinition {
	return {
		method: 'GET',
		path: `${R}/refs/${kind.segment}`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const items = memoList(ctx, () => {
				const byName = [...kind.all(repo)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
				return sortBy(filterByQuery(byName, ctx.query.get('q')), ctx.query.get('sort'));
			});
			// A filtered list pages with an opaque cursor on the live service, a plain one with page numbers.
			return json(200, paginate(ctx, items, (ref) => kind.view(ctx.links, repo, ref), { cacheAs: kind.cacheAs, pages: ctx.query.get('q') ? 'opaque' : 'number' }));
		},
	};
}

function getRoute<T extends BranchRecord | TagRecord>(kind: RefKind<T>): RouteDefinition {
	return {
		method: 'GET',
		path: `${R}/refs/${kind.segment}/:name`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const ref = kind.all(repo).find((r) => r.name === ctx.params['name']);
			if (!ref) throw notFound(`${kind.label} "${ctx.params['name']}" does not exist.`);
			return json(200, kind.view(ctx.links, repo, ref));
		},
	};
}

export const refRouteDefinitions: RouteDefinition[] = [
	listRoute(BRANCHES),
	{
		method: 'POST',
		path: `${R}/refs/branches`,
		scopes: SCOPES.writeRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const body = objectBody(ctx);
			const name = refName(body);
			if (ctx.state.branch(repo, name)) throw badRequest(`Branch "${name}" already exists.`, { fields: { name: ['BRANCH_ALREADY_EXISTS'] } });
			const branch = { name, target: targetOf(ctx, repo, body) };
			repo.branches.push(branch);
			repo.updated_on = ctx.state.clock.now();
			return json(201, branchView(ctx.links, repo, branch), { headers: { location: ctx.links.repoApi(repo, 'refs', 'branches', name) } });
		},
	},
	getRoute(BRANCHES),
	{
		method: 'DELETE',
		path: `${R}/refs/branches/:name`,
		scopes: SCOPES.deleteRef,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const name = ctx.params['name'];
			const branch = ctx.state.branch(repo, name);
			if (!branch) throw notFound(`Branch "${name}" does not exist.`);
			if (name === repo.mainbranch.name) throw badRequest('You can\'t delete the main branch.');
			rememberDeletedRef(ctx, branch);
			repo.branches.splice(repo.branches.indexOf(branch), 1);
			return noContent();
		},
	},
	listRoute(TAGS),
	{
		method: 'POST',
		path: `${R}/refs/tags`,
		scopes: SCOPES.writeRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const body = objectBody(ctx);
			const name = refName(body);
			if (repo.tags.some((t) => t.name === name)) throw badRequest(`Tag "${name}" already exists.`, { fields: { name: ['TAG_ALREADY_EXISTS'] } });
			const target = targetOf(ctx, repo, body);
			const message = optionalString(body, 'message') || `Added tag ${name} for changeset ${target.hash.slice(0, 12)}`;
			const tag = { name, target, message, date: ctx.state.clock.now(), tagger: ctx.principal.user };
			repo.tags.push(tag);
			return json(201, tagView(ctx.links, repo, tag), { headers: { location: ctx.links.repoApi(repo, 'refs', 'tags', name) } });
		},
	},
	getRoute(TAGS),
	{
		method: 'DELETE',
		path: `${R}/refs/tags/:name`,
		scopes: SCOPES.deleteRef,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const index = repo.tags.findIndex((t) => t.name === ctx.params['name']);
			if (index < 0) throw notFound(`Tag "${ctx.params['name']}" does not exist.`);
			repo.tags.splice(index, 1);
			return noContent();
		},
	},
];
