/**
 * How each Bitbucket Cloud authentication type is put on a request, and which base URLs are allowed.
 * Shared by the n8n credential (`authenticate`) and the CLI's fetch transport, so both sign requests the same way.
 */

export const DEFAULT_BASE_URL = 'https://api.bitbucket.org/2.0';

export type BitbucketAuthType = 'apiToken' | 'accessToken' | 'appPassword';

export type BitbucketAuth =
	| { type: 'apiToken'; email: string; apiToken: string }
	| { type: 'accessToken'; accessToken: string }
	| { type: 'appPassword'; username: string; appPassword: string }
	/** OAuth2 access token obtained elsewhere (n8n signs OAuth2 requests itself). */
	| { type: 'oauth2'; accessToken: string };

export class BitbucketConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'BitbucketConfigError';
	}
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Validates a base URL and returns it without trailing slashes.
 * https anywhere; plain http only on loopback (a local sandbox or proxy), so credentials never travel in clear text.
 */
export function normalizeBaseUrl(raw: string | undefined): string {
	const value = (raw ?? '').trim() || DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new BitbucketConfigError(`Base URL "${value}" is not a valid URL`, 'baseUrl');
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
		throw new BitbucketConfigError(
			`Base URL "${value}" must use https (plain http is only allowed for localhost/127.0.0.1)`,
			'baseUrl',
		);
	}
	if (url.username || url.password) {
		throw new BitbucketConfigError('Base URL must not contain a user name or password', 'baseUrl');
	}
	if (url.search || url.hash) {
		throw new BitbucketConfigError('Base URL must not contain a query string or fragment', 'baseUrl');
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function requireValue(value: string | undefined, field: string, label: string): string {
	const trimmed = (value ?? '').trim();
	if (!trimmed) throw new BitbucketConfigError(`${label} is empty`, field);
	return trimmed;
}

/** The Authorization header value for an authentication; throws BitbucketConfigError naming the empty field. */
export function authorizationHeader(auth: BitbucketAuth): string {
	switch (auth.type) {
		case 'apiToken': {
			const email = requireValue(auth.email, 'email', 'Email');
			const token = requireValue(auth.apiToken, 'apiToken', 'API Token');
			return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
		}
		case 'appPassword': {
			const user = requireValue(auth.username, 'username', 'Username');
			const password = requireValue(auth.appPassword, 'appPassword', 'App Password');
			return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
		}
		case 'accessToken':
			return `Bearer ${requireValue(auth.accessToken, 'accessToken', 'Access Token')}`;
		case 'oauth2':
			return `Bearer ${requireValue(auth.accessToken, 'accessToken', 'OAuth2 access token')}`;
	}
}

/** Reads the Bitbucket Cloud API credential's fields (authType, email, apiToken, …) into an authentication. */
export function authFromCredentialFields(fields: Record<string, unknown>): BitbucketAuth {
	const str = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : '');
	switch (str('authType') || 'apiToken') {
		case 'accessToken':
			return { type: 'accessToken', accessToken: str('accessToken') };
		case 'appPassword':
			return { type: 'appPassword', username: str('username'), appPassword: str('appPassword') };
		default:
			return { type: 'apiToken', email: str('email'), apiToken: str('apiToken') };
	}
}

/** The secret strings of an authentication (raw secrets and their Basic encodings), for redaction. */
export function secretsOf(auth: BitbucketAuth): string[] {
	const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');
	const secrets =
		auth.type === 'apiToken'
			? [auth.apiToken, basic(auth.email, auth.apiToken)]
			: auth.type === 'appPassword'
				? [auth.appPassword, basic(auth.username, auth.appPassword)]
				: [auth.accessToken];
	return secrets.filter((s) => s.length >= 4);
}
