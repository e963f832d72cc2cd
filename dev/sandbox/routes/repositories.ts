import { filterByQuery, sortBy } from '../bbql';
import { json, type RouteDefinition } from '../context';
import { badRequest, invalidFields } from '../errors';
import type { RepositoryRecord } from '../model';
import { memoList } from '../cache';
import { REPOSITORY_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { uuidOf } from '../prng';
import { createRepositoryRecord } from '../seeding/repositories';
import { repositoryView } from '../views';
import { nested, objectBody, optionalBoolean, optionalString, R, repositoryOf, SCOPES, workspaceOf } from './common';

const ROLES = ['owner', 'admin', 'contributor', 'member'];

function isForkPolicy(value: string): value is RepositoryRecord['fork_policy'] {
	return value === 'allow_forks' || value === 'no_public_forks' || value === 'no_forks';
}

export const repositoryRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: '/repositories/:workspace',
		scopes: SCOPES.readRepo,
		access: 'workspace',
		accessTokenAllowed: true,
		handle: (ctx) => {
			const ws = workspaceOf(ctx);
			const role = ctx.query.get('role');
			if (role !== undefined && !ROLES.includes(role)) throw badRequest(`Invalid role: ${role}`);
			const isAdmin = ws.admins.includes(ctx.principal.user.uuid);
			const bound = ctx.principal.repository;
			let repos = ctx.state.repositories.filter((r) => r.workspace === ws && (!bound || r.slug === bound.slug));
			if ((role === 'owner' || role === 'admin') && !isAdmin) repos = [];
			const sorted = memoList(ctx, () => sortBy(filterByQuery(repos, ctx.query.get('q')), ctx.query.get('sort')));
			return json(200, paginate(ctx, sorted, (r) => repositoryView(ctx.links, r), { cacheAs: REPOSITORY_VIEW }));
		},
	},
	{
		method: 'GET',
		path: R,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => json(200, repositoryView(ctx.links, repositoryOf(ctx))),
	},
	{
		method: 'POST',
		path: R,
		scopes: SCOPES.adminRepo,
		access: 'repository',
		handle: (ctx) => {
			const ws = workspaceOf(ctx);
			const slug = ctx.params['repo_slug'];
			const body = objectBody(ctx, { optional: true });
			if (!/^[a-z0-9][a-z0-9_.-]*$/.test(slug)) {
				throw invalidFields({ slug: ['Only lowercase letters, digits, ".", "_" and "-" are allowed.'] });
			}
			if (ctx.state.repo(ws.slug, slug)) {
				throw badRequest('Repository with this Slug and Owner already exists.', { fields: { name: ['Repository with this Slug and Owner already exists.'] } });
			}
			const scm = optionalString(body, 'scm');
			if (scm !== undefined && scm !== 'git') throw invalidFields({ scm: ['Only git repositories can be created.'] });
			const projectKey = nested(body, 'project', 'key');
			const projects = ctx.state.projects.filter((p) => p.workspaceSlug === ws.slug);
			// Without project.key a new repository lands in the workspace's oldest project.
			const project = projectKey === undefined ? projects[0] : projects.find((p) => p.key === projectKey);
			if (!project) throw invalidFields({ project: [`No project with key ${String(projectKey)}.`] });
			const forkPolicy = optionalString(body, 'fork_policy');
			if (forkPolicy !== undefined && !isForkPolicy(forkPolicy)) {
				throw invalidFields({ fork_policy: [`"${forkPolicy}" is not a valid choice.`] });
			}
			const repo = createRepositoryRecord({
				workspace: ws,
				project,
				slug,
				uuid: uuidOf(`repo:${ws.slug}/${slug}:${ctx.state.nextSerial()}`),
				name: optionalString(body, 'name') ?? slug,
				description: optionalString(body, 'description'),
				isPrivate: optionalBoolean(body, 'is_private'),
				hasIssues: optionalBoolean(body, 'has_issues'),
				language: optionalString(body, 'language'),
				forkPolicy: forkPolicy !== undefined && isForkPolicy(forkPolicy) ? forkPolicy : undefined,
				createdOn: ctx.state.clock.now(),
			});
			ctx.state.repositories.push(repo);
			// Bitbucket answers 200 (not 201) to repository creation.
			return json(200, repositoryView(ctx.links, repo));
		},
	},
];
