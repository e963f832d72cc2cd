import { json, noContent, type RouteContext, type RouteDefinition } from '../context';
import { invalidFields, notFound } from '../errors';
import { href } from '../links';
import type { HookRecord } from '../model';
import { paginate } from '../pagination';
import { bareUuidOf } from '../prng';
import { repositoryRefView, workspaceBaseView, type Json } from '../views';
import { objectBody, optionalBoolean, optionalString, R, repositoryOf, requiredString, SCOPES, workspaceOf } from './common';

/** The event keys the spec's webhook_subscription schema allows. */
export const HOOK_EVENTS: readonly string[] = [
	'issue:comment_created', 'issue:created', 'issue:updated', 'pipeline:span_created', 'project:updated',
	'pullrequest:approved', 'pullrequest:changes_request_created', 'pullrequest:changes_request_removed',
	'pullrequest:comment_created', 'pullrequest:comment_deleted', 'pullrequest:comment_reopened', 'pullrequest:comment_resolved',
	'pullrequest:comment_updated', 'pullrequest:created', 'pullrequest:fulfilled', 'pullrequest:push', 'pullrequest:rejected',
	'pullrequest:unapproved', 'pullrequest:updated', 'repo:commit_comment_created', 'repo:commit_status_created',
	'repo:commit_status_updated', 'repo:created', 'repo:deleted', 'repo:fork', 'repo:imported', 'repo:push', 'repo:transfer', 'repo:updated',
];

interface HookOwner {
	hooks: HookRecord[];
	selfUrl: (uid: string) => string;
	subject: Json;
}

function hookView(owner: HookOwner, hook: HookRecord): Json {
	// The secret is write-only: Bitbucket only reports whether one is set.
	return {
		type: 'webhook_subscription',
		uuid: hook.uuid,
		url: hook.url,
		description: hook.description,
		subject_type: hook.subject_type,
		subject: owner.subject,
		active: hook.active,
		created_at: hook.created_at,
		events: [...hook.events],
		secret_set: hook.secret !== null,
		links: { self: href(owner.selfUrl(hook.uuid)) },
	};
}

function repoOwner(ctx: RouteContext): HookOwner {
	const repo = repositoryOf(ctx);
	return { hooks: repo.hooks, selfUrl: (uid) => ctx.links.repoApi(repo, 'hooks', uid), subject: repositoryRefView(ctx.links, repo) };
}

function workspaceOwner(ctx: RouteContext): HookOwner {
	const ws = workspaceOf(ctx);
	return { hooks: ws.hooks, selfUrl: (uid) => ctx.links.api('workspaces', ws.slug, 'hooks', uid), subject: { ...workspaceBaseView(ctx.links, ws), type: 'workspace', name: ws.name } };
}

function findHook(owner: HookOwner, uid: string): HookRecord {
	const hook = owner.hooks.find((h) => h.uuid === uid || h.uuid === `{${uid}}`);
	if (!hook) throw notFound('Webhook not found');
	return hook;
}

function createHook(ctx: RouteContext, owner: HookOwner, subjectType: HookRecord['subject_type']): HookRecord {
	const body = objectBody(ctx);
	const url = requiredString(body, 'url');
	if (!/^https?:\/\/[^\s/]+/.test(url)) throw invalidFields({ url: ['Enter a valid URL.'] });
	const events = body['events'];
	if (!Array.isArray(events) || events.length === 0) throw invalidFields({ events: ['This field is required.'] });
	const unknown = events.filter((e) => typeof e !== 'string' || !HOOK_EVENTS.includes(e));
	if (unknown.length > 0) throw invalidFields({ events: unknown.map((e) => `"${String(e)}" is not a valid choice.`) });
	const secret = optionalString(body, 'secret');
	const hook: HookRecord = {
		uuid: `{${bareUuidOf(`hook:${ctx.state.nextSerial()}:${url}`)}}`,
		url,
		description: optionalString(body, 'description') ?? '',
		events: events.filter((e): e is string => typeof e === 'string'),
		active: optionalBoolean(body, 'active') ?? true,
		secret: secret ? secret : null,
		created_at: ctx.state.clock.now(),
		subject_type: subjectType,
	};
	owner.hooks.push(hook);
	return hook;
}

/** Replaces a hook's URL, events, description, active flag and (when given) secret, as PUT does on Bitbucket. */
function updateHook(ctx: RouteContext, hook: HookRecord): void {
	const body = objectBody(ctx);
	const url = optionalString(body, 'url');
	if (url !== undefined) {
		if (!/^https?:\/\/[^\s/]+/.test(url)) throw invalidFields({ url: ['Enter a valid URL.'] });
		hook.url = url;
	}
	const events = body['events'];
	if (events !== undefined) {
		if (!Array.isArray(events) || events.length === 0) throw invalidFields({ events: ['This field is required.'] });
		const unknown = events.filter((e) => typeof e !== 'string' || !HOOK_EVENTS.includes(e));
		if (unknown.length > 0) throw invalidFields({ events: unknown.map((e) => `"${String(e)}" is not a valid choice.`) });
		hook.events = events.filter((e): e is string => typeof e === 'string');
	}
	const description = optionalString(body, 'description');
	if (description !== undefined) hook.description = description;
	const active = optionalBoolean(body, 'active');
	if (active !== undefined) hook.active = active;
	const secret = optionalString(body, 'secret');
	if (secret !== undefined) hook.secret = secret || null;
}

/** The events a subject type can subscribe to, as `/hook_events/{subject_type}` lists them. */
function hookEventTypes(subjectType: string): Json[] {
	const events = subjectType === 'workspace' ? HOOK_EVENTS : HOOK_EVENTS.filter((e) => e !== 'project:updated' && !e.startsWith('repo:created'));
	return events.map((event) => {
		const [category, name] = event.split(':');
		const label = name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
		const categories: Record<string, string> = { repo: 'Repository', pullrequest: 'Pull Request', issue: 'Issue', project: 'Project', pipeline: 'Pipeline' };
		return { event, category: categories[category] ?? category, label, description: `Whenever ${category} ${name.replace(/_/g, ' ')}` };
	});
}

function hookRoutes(base: string, access: 'repository' | 'workspace', ownerOf: (ctx: RouteContext) => HookOwner): RouteDefinition[] {
	const subjectType = access === 'repository' ? 'repository' : 'workspace';
	return [
		{
			method: 'GET',
			path: `${base}/hooks`,
			scopes: SCOPES.readWebhook,
			access,
			handle: (ctx) => {
				const owner = ownerOf(ctx);
				return json(200, paginate(ctx, owner.hooks, (h) => hookView(owner, h)));
			},
		},
		{
			method: 'POST',
			path: `${base}/hooks`,
			scopes: SCOPES.writeWebhook,
			access,
			handle: (ctx) => {
				const owner = ownerOf(ctx);
				const hook = createHook(ctx, owner, subjectType);
				return json(201, hookView(owner, hook), { headers: { location: owner.selfUrl(hook.uuid) } });
			},
		},
		{
			method: 'GET',
			path: `${base}/hooks/:uid`,
			scopes: SCOPES.readWebhook,
			access,
			handle: (ctx) => {
				const owner = ownerOf(ctx);
				return json(200, hookView(owner, findHook(owner, ctx.params['uid'])));
			},
		},
		{
			method: 'PUT',
			path: `${base}/hooks/:uid`,
			scopes: SCOPES.writeWebhook,
			access,
			handle: (ctx) => {
				const owner = ownerOf(ctx);
				const hook = findHook(owner, ctx.params['uid']);
				updateHook(ctx, hook);
				return json(200, hookView(owner, hook));
			},
		},
		{
			method: 'DELETE',
			path: `${base}/hooks/:uid`,
			scopes: SCOPES.deleteWebhook,
			access,
			handle: (ctx) => {
				const owner = ownerOf(ctx);
				const hook = findHook(owner, ctx.params['uid']);
				owner.hooks.splice(owner.hooks.indexOf(hook), 1);
				return noContent();
			},
		},
	];
}

export const hookRouteDefinitions: RouteDefinition[] = [
	...hookRoutes(R, 'repository', repoOwner),
	...hookRoutes('/workspaces/:workspace', 'workspace', workspaceOwner),
	{
		method: 'GET',
		path: '/hook_events/:subject_type',
		scopes: [],
		access: 'workspace',
		accessTokenAllowed: true,
		handle: (ctx) => {
			const subjectType = ctx.params['subject_type'];
			if (!['repository', 'workspace', 'user', 'team'].includes(subjectType)) throw notFound(`No such subject type: ${subjectType}`);
			return json(200, paginate(ctx, hookEventTypes(subjectType), (e) => e));
		},
	},
];

