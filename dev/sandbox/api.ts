/** Turns one /2.0 request into a response: path decoding, routing, auth, the handler, partial responses, errors. */
import { authenticate, authorize } from './auth';
import type { ApiResult, FormPart, RouteContext } from './context';
import { viewJson } from './cache';
import { ApiError, errorBody } from './errors';
import { eventsFor, type HookEvent } from './events';
import { applyFields } from './fields';
import { Links } from './links';
import type { SandboxState } from './model';
import { QueryParams } from './query';
import { Router } from './router';
import { ROUTES } from './routes';
import type { AuthKind } from './types';

export const API_PREFIX = '/2.0';

export interface IncomingApiRequest {
	method: string;
	rawPath: string;
	query: QueryParams;
	headers: Record<string, string>;
	rawBody: string;
	rawBytes: Buffer;
	form?: readonly FormPart[] | 'malformed';
	body: unknown;
	bodyIsMalformedJson: boolean;
}

/** A multipart/form-data body as parts, read with the standard Request parser; `malformed` when it is not one. */
export async function parseForm(rawBytes: Buffer, contentType: string | undefined): Promise<readonly FormPart[] | 'malformed' | undefined> {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
	try {
		const form = await new Request('http://sandbox.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: rawBytes }).formData();
		const parts: FormPart[] = [];
		for (const [name, value] of form.entries()) {
			if (typeof value === 'string') parts.push({ name, value });
			else parts.push({ name, filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
		}
		return parts;
	} catch {
		return 'malformed';
	}
}

export interface ApiResponse {
	status: number;
	headers: Record<string, string>;
	body: string | Buffer;
	authKind: AuthKind;
	/** Webhook events the call fired (delivered after the answer). */
	events?: HookEvent[];
}

export interface ApiEnvironment {
	state: SandboxState;
	origin: string;
	appPasswordsEnabled: boolean;
}

const router = new Router(ROUTES);

/**
 * Splits the RAW path on "/" and only then percent-decodes each segment, as Bitbucket does: a branch such as
 * feat/user-export must be sent as feat%2Fuser-export; unencoded it is two segments and no route matches.
 */
export function pathSegments(rawPath: string): string[] | undefined {
	const rest = rawPath.slice(API_PREFIX.length);
	const parts = rest.split('/');
	if (parts[0] === '') parts.shift();
	if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
	try {
		return parts.map((p) => decodeURIComponent(p));
	} catch {
		return undefined;
	}
}

/** Parses a body for the handlers and the request log: JSON when it is JSON, else the raw text, undefined when empty. */
export function parseBody(rawBody: string, contentType: string | undefined): { body: unknown; malformed: boolean } {
	if (rawBody.length === 0) return { body: undefined, malformed: false };
	const declaredJson = contentType !== undefined && /json/i.test(contentType);
	const looksJson = contentType === undefined && /^\s*[[{]/.test(rawBody);
	if (!declaredJson && !looksJson) return { body: rawBody, malformed: false };
	try {
		return { body: JSON.parse(rawBody) as unknown, malformed: false };
	} catch {
		return { body: rawBody, malformed: declaredJson };
	}
}

function jsonResponse(status: number, payload: unknown, authKind: AuthKind, headers: Record<string, string> = {}): ApiResponse {
	return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(payload), authKind };
}

function errorResponse(error: ApiError, authKind: AuthKind): ApiResponse {
	return jsonResponse(error.status, error.toBody(), authKind, error.options.headers);
}

function isEnvelope(value: unknown): value is { values: unknown[] } & Record<string, unknown> {
	return value !== null && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values);
}

/**
 * Without `fields`, a page is written from the cached JSON text of its items; hidden paths of the form
 * `values.<key>` are left out per item.
 */
function fastEnvelopeJson(payload: unknown, hidden: readonly string[]): string | undefined {
	if (!isEnvelope(payload)) return undefined;
	const omit: string[] = [];
	for (const path of hidden) {
		const match = /^values\.([^.*]+)$/.exec(path);
		if (!match) return undefined;
		omit.push(match[1]);
	}
	const { values, ...meta } = payload;
	const items = values.map((v) => viewJson(v, omit)).join(',');
	const metaJson = JSON.stringify(meta);
	return metaJson === '{}' ? `{"values":[${items}]}` : `{"values":[${items}],${metaJson.slice(1)}`;
}

function render(result: ApiResult, query: QueryParams, authKind: AuthKind): ApiResponse {
	const headers: Record<string, string> = { ...(result.headers ?? {}) };
	if (result.json !== undefined) {
		const fields = query.get('fields');
		const hidden = result.hidden ?? [];
		const fast = fields === undefined ? fastEnvelopeJson(result.json, hidden) : undefined;
		if (fast !== undefined) {
			return { status: result.status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: fast, authKind };
		}
		const payload = fields !== undefined || hidden.length > 0 ? applyFields(result.json, fields, hidden) : result.json;
		return jsonResponse(result.status, payload, authKind, headers);
	}
	if (result.text !== undefined) {
		headers['content-type'] = result.contentType ?? 'text/plain; charset=utf-8';
		return { status: result.status, headers, body: result.text, authKind };
	}
	if (result.bytes !== undefined) {
		headers['content-type'] = result.contentType ?? 'application/octet-stream';
		return { status: result.status, headers, body: result.bytes, authKind };
	}
	return { status: result.status, headers, body: '', authKind };
}

export function handleApiRequest(request: IncomingApiRequest, env: ApiEnvironment): ApiResponse {
	const auth = authenticate(env.state, request.headers['authorization'], env.appPasswordsEnabled);
	const segments = pathSegments(request.rawPath);
	const match = segments ? router.match(request.method, segments) : { kind: 'not-found' as const };
	if (match.kind === 'not-found') {
		return jsonResponse(404, errorBody(`Resource not found`, { detail: `There is no API hosted at this URL: ${request.rawPath}` }), auth.kind);
	}
	if (match.kind === 'method-not-allowed') {
		return jsonResponse(405, errorBody(`Method ${request.method} not allowed`), auth.kind, { allow: match.allowed.join(', ') });
	}
	try {
		if (auth.error || !auth.principal) throw auth.error ?? new ApiError(401, 'Authentication required');
		authorize(auth.principal, match.route, match.params);
		if (request.bodyIsMalformedJson) throw new ApiError(400, 'Bad request', { detail: 'The request body is not valid JSON.' });
		const ctx: RouteContext = {
			method: request.method,
			rawPath: request.rawPath,
			params: match.params,
			query: request.query,
			headers: request.headers,
			body: request.body,
			rawBody: request.rawBody,
			rawBytes: request.rawBytes,
			form: request.form,
			principal: auth.principal,
			state: env.state,
			links: Links.for(env.origin),
		};
		const mutates = request.method !== 'GET' || match.route.mutates === true;
		let result: ApiResult;
		try {
			result = match.route.handle(ctx);
		} finally {
			if (mutates) env.state.noteApiChange();
		}
		const response = render(result, request.query, auth.kind);
		response.events = eventsFor(match.route, ctx, result);
		if (auth.kind === 'accessToken') {
			// Access tokens get their own rate-limit allowance, reported in X-RateLimit-* headers.
			response.headers['x-ratelimit-limit'] = '1000';
			response.headers['x-ratelimit-resource'] = 'api/repositories';
			response.headers['x-ratelimit-nearlimit'] = 'false';
		}
		return response;
	} catch (error) {
		if (error instanceof ApiError) return errorResponse(error, auth.kind);
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`[bitbucket-sandbox] ${request.method} ${request.rawPath} failed: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
		return jsonResponse(500, errorBody('Something went wrong', { detail: message }), auth.kind);
	}
}
