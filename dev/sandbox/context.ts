import type { AccountRecord, SandboxState } from './model';
import type { QueryParams } from './query';
import type { Links } from './links';
import type { AuthKind } from './types';

export interface Principal {
	kind: AuthKind;
	/** The acting account (for a repository access token: its bot account). */
	user: AccountRecord;
	scopes: readonly string[];
	/** Repository access tokens are bound to one repository. */
	repository?: { workspace: string; workspaceUuid: string; slug: string; uuid: string };
}

/** One field of a multipart/form-data body: text, or a file (a part with a file name). */
export type FormPart = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

export interface RouteContext {
	readonly method: string;
	readonly rawPath: string;
	readonly params: Readonly<Record<string, string>>;
	readonly query: QueryParams;
	readonly headers: Readonly<Record<string, string>>;
	readonly body: unknown;
	readonly rawBody: string;
	/** The body's bytes as received (a multipart upload is not text). */
	readonly rawBytes: Buffer;
	/** A multipart/form-data body, parsed (by the platform's own parser); `malformed` when it could not be. */
	readonly form?: readonly FormPart[] | 'malformed';
	readonly principal: Principal;
	readonly state: SandboxState;
	readonly links: Links;
}

export interface ApiResult {
	status: number;
	json?: unknown;
	text?: string;
	/** A raw answer (a file's bytes); `contentType` says what it is. */
	bytes?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
	/** Paths left out unless asked for with `fields=+path` (e.g. reviewers in PR collections). */
	hidden?: readonly string[];
	/** A write that changed an existing object rather than creating one (webhooks tell them apart). */
	updated?: boolean;
}

/**
 * How a route treats repository access tokens: `user` routes refuse them (they cannot act as a user),
 * `repository` routes accept them for their own repository only, `workspace` routes for their workspace when allowed.
 */
export type Access = 'user' | 'workspace' | 'repository';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
	method: HttpMethod;
	/** e.g. /repositories/:workspace/:repo_slug/pullrequests/:id (relative to /2.0) */
	path: string;
	/** Scopes the spec lists in x-atlassian-oauth2-scopes for this operation. */
	scopes: readonly string[];
	access: Access;
	/** For workspace routes: whether a repository access token of that workspace may call it. */
	accessTokenAllowed?: boolean;
	/** Changes data although it is a GET (merge task-status polls complete merges). Non-GET routes always do. */
	mutates?: boolean;
	handle(ctx: RouteContext): ApiResult;
}

export const json = (status: number, body: unknown, extra: Partial<ApiResult> = {}): ApiResult => ({ status, json: body, ...extra });
export const noContent = (): ApiResult => ({ status: 204 });
