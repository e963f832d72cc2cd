import type { RouteContext } from '../context';
import { ApiError, badRequest, invalidFields, notFound } from '../errors';
import type { RepositoryRecord, WorkspaceRecord } from '../model';

export const R = '/repositories/:workspace/:repo_slug';

export const SCOPES = {
	readRepo: ['read:repository:bitbucket'],
	writeRepo: ['write:repository:bitbucket', 'read:repository:bitbucket'],
	deleteRef: ['write:repository:bitbucket'],
	adminRepo: ['admin:repository:bitbucket'],
	readPr: ['read:pullrequest:bitbucket'],
	writePr: ['read:pullrequest:bitbucket', 'write:pullrequest:bitbucket'],
	writePrOnly: ['write:pullrequest:bitbucket'],
	readPipeline: ['read:pipeline:bitbucket'],
	adminPipeline: ['admin:pipeline:bitbucket'],
	writePipeline: ['read:pipeline:bitbucket', 'write:pipeline:bitbucket'],
	writePipelineOnly: ['write:pipeline:bitbucket'],
	readIssue: ['read:issue:bitbucket'],
	writeIssue: ['read:issue:bitbucket', 'write:issue:bitbucket'],
	readWebhook: ['read:webhook:bitbucket'],
	writeWebhook: ['read:webhook:bitbucket', 'write:webhook:bitbucket'],
	deleteWebhook: ['delete:webhook:bitbucket'],
	readUser: ['read:user:bitbucket'],
	readWorkspace: ['read:workspace:bitbucket'],
} as const satisfies Record<string, readonly string[]>;

export function workspaceOf(ctx: RouteContext): WorkspaceRecord {
	const slug = ctx.params['workspace'];
	const ws = ctx.state.workspace(slug);
	if (!ws) throw notFound(`No workspace with identifier '${slug}'.`);
	return ws;
}

export function repositoryOf(ctx: RouteContext): RepositoryRecord {
	const ws = workspaceOf(ctx);
	const slug = ctx.params['repo_slug'];
	const repo = ctx.state.repo(ws.slug, slug);
	if (!repo) throw notFound(`Repository ${ws.slug}/${slug} not found`);
	return repo;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The request body as a JSON object; anything else is a 400 like Bitbucket's. */
export function objectBody(ctx: RouteContext, { optional = false } = {}): JsonObject {
	if (ctx.body === undefined && optional) return {};
	if (!isObject(ctx.body)) {
		throw badRequest('Bad request', { detail: 'The request body must be a JSON object (Content-Type: application/json).' });
	}
	return ctx.body;
}

export function optionalString(body: JsonObject, name: string): string | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw invalidFields({ [name]: ['Not a valid string.'] });
	return value;
}

export function requiredString(body: JsonObject, name: string): string {
	const value = optionalString(body, name);
	if (value === undefined || value.trim() === '') throw invalidFields({ [name]: ['This field is required.'] });
	return value;
}

export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw invalidFields({ [name]: ['Must be a valid boolean.'] });
	return value;
}

export function nested(body: JsonObject, ...path: string[]): unknown {
	let current: unknown = body;
	for (const key of path) {
		if (!isObject(current)) return undefined;
		current = current[key];
	}
	return current;
}

export function integerParam(ctx: RouteContext, name: string, what: string): number {
	const raw = ctx.params[name];
	if (!/^\d+$/.test(raw)) throw notFound(`${what} ${raw} not found`);
	return Number(raw);
}

export const forbidden = (message: string): ApiError => new ApiError(403, message);
