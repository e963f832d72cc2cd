import { rememberDeletedRef } from '../events';
import { filterByQuery, sortBy } from '../bbql';
import { json, noContent, type RouteContext, type RouteDefinition } from '../context';
import { badRequest, invalidFields, notFound } from '../errors';
import type { CommitRecord, RepositoryRecord } from '../model';
import { memoList } from '../cache';
import { BRANCH_VIEW, TAG_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { branchView, tagView } from '../views';
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

export const refRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/refs/branches`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const items = memoList(ctx, () => {
				const byName = [...repo.branches].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
				return sortBy(filterByQuery(byName, ctx.query.get('q')), ctx.query.get('sort'));
			});
			// A filtered list pages with an opaque cursor on the live service, a plain one with page numbers.
			return json(200, paginate(ctx, items, (b) => branchView(ctx.links, repo, b), { cacheAs: BRANCH_VIEW, pages: ctx.query.get('q') ? 'opaque' : 'number' }));
		},
	},
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
	{
		method: 'GET',
		path: `${R}/refs/branches/:name`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const branch = ctx.state.branch(repo, ctx.params['name']);
			if (!branch) throw notFound(`Branch "${ctx.params['name']}" does not exist.`);
			return json(200, branchView(ctx.links, repo, branch));
		},
	},
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
	{
		method: 'GET',
		path: `${R}/refs/tags`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const items = memoList(ctx, () => {
				const byName = [...repo.tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
				return sortBy(filterByQuery(byName, ctx.query.get('q')), ctx.query.get('sort'));
			});
			return json(200, paginate(ctx, items, (t) => tagView(ctx.links, repo, t), { cacheAs: TAG_VIEW, pages: ctx.query.get('q') ? 'opaque' : 'number' }));
		},
	},
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
	{
		method: 'GET',
		path: `${R}/refs/tags/:name`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const tag = repo.tags.find((t) => t.name === ctx.params['name']);
			if (!tag) throw notFound(`Tag "${ctx.params['name']}" does not exist.`);
			return json(200, tagView(ctx.links, repo, tag));
		},
	},
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
