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
];

