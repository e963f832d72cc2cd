/** Small helpers for code that talks to the sandbox (tests, benchmarks, demos). */
import { SANDBOX_CREDENTIALS } from './credentials';

export type CredentialKind = 'apiToken' | 'readOnlyApiToken' | 'accessToken' | 'appPassword' | 'oauth2';

const basic = (user: string, secret: string): string => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** The Authorization header value for one of the seeded credentials, sent the way Bitbucket expects it. */
export function authorizationFor(kind: CredentialKind): string {
	const c = SANDBOX_CREDENTIALS;
	switch (kind) {
		case 'apiToken':
			return basic(c.apiToken.email, c.apiToken.token);
		case 'readOnlyApiToken':
			return basic(c.readOnlyApiToken.email, c.readOnlyApiToken.token);
		case 'appPassword':
			return basic(c.appPassword.username, c.appPassword.password);
		case 'accessToken':
			return `Bearer ${c.accessToken.token}`;
		case 'oauth2':
			return `Bearer ${c.oauth2.accessToken}`;
	}
}

export type JsonObject = Record<string, unknown>;

export interface SandboxReply {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body when it is JSON, else {}. */
	json: JsonObject;
}

export interface CallOptions {
	method?: string;
	/** Default 'apiToken'; null sends no Authorization header. */
	auth?: CredentialKind | null;
	/** Sent as JSON (Content-Type: application/json unless given) or as-is when a string. */
	body?: unknown;
	headers?: Record<string, string>;
	redirect?: 'follow' | 'manual' | 'error';
}

/** A bare fetch-based caller for tests: paths are relative to baseUrl unless absolute. */
export function sandboxClient(baseUrl: string): {
	call: (path: string, options?: CallOptions) => Promise<SandboxReply>;
	walk: (firstPath: string, auth?: CredentialKind) => Promise<{ items: JsonObject[]; pages: SandboxReply[] }>;
} {
	const call = async (path: string, options: CallOptions = {}): Promise<SandboxReply> => {
		const headers: Record<string, string> = { ...(options.headers ?? {}) };
		const auth = options.auth === undefined ? 'apiToken' : options.auth;
		if (auth) headers['authorization'] = authorizationFor(auth);
		let body: string | undefined;
		if (options.body !== undefined) {
			body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
		const url = /^https?:/.test(path) ? path : `${baseUrl}${path}`;
		const response = await fetch(url, { method: options.method ?? 'GET', headers, body, redirect: options.redirect });
		const text = await response.text();
		let json: JsonObject = {};
		if (/^\s*[[{]/.test(text)) json = JSON.parse(text) as JsonObject;
		return { status: response.status, headers: response.headers, text, json };
	};
	const walk = async (firstPath: string, auth: CredentialKind = 'apiToken'): Promise<{ items: JsonObject[]; pages: SandboxReply[] }> => {
		const items: JsonObject[] = [];
		const pages: SandboxReply[] = [];
		let next: string | undefined = firstPath;
		while (next) {
			const page = await call(next, { auth });
			if (page.status !== 200) throw new Error(`GET ${next} answered ${page.status}: ${page.text}`);
			pages.push(page);
			items.push(...(page.json['values'] as JsonObject[]));
			next = typeof page.json['next'] === 'string' ? page.json['next'] : undefined;
		}
		return { items, pages };
	};
	return { call, walk };
}
