/**
 * How each Bitbucket Cloud authentication type is put on a request, and which base URLs are allowed.
 * Shared by the n8n credential (`authenticate`) and the CLI's fetch transport, so both sign requests the same way.
 */
import { basicSecrets } from '../redact';
import { tryUrl } from './paths';

export const DEFAULT_BASE_URL = 'https://api.bitbucket.org/2.0';

/** Bitbucket's OAuth 2.0 authorization server (the OAuth2 credential's default). */
export const DEFAULT_OAUTH_SERVER = 'https://bitbucket.org';

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
export function normalizeBaseUrl(raw: string | undefined, field = 'baseUrl', label = 'Base URL', fallback = DEFAULT_BASE_URL): string {
	const value = (raw ?? '').trim() || fallback;
	const url = tryUrl(value);
	if (!url) throw new BitbucketConfigError(`${label} "${value}" is not a valid URL`, field);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
		throw new BitbucketConfigError(`${label} "${value}" must use https (plain http is only allowed for localhost/127.0.0.1)`, field);
	}
	if (url.username || url.password) {
		throw new BitbucketConfigError(`${label} must not contain a user name or password`, field);
	}
	if (url.search || url.hash) {
		throw new BitbucketConfigError(`${label} must not contain a query string or fragment`, field);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The OAuth2 credential's OAuth Server, under the same rules as a base URL (it receives the client secret). */
export function normalizeOAuthServer(raw: string | undefined): string {
	return normalizeBaseUrl(raw, 'oauthServer', 'OAuth Server', DEFAULT_OAUTH_SERVER);
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
	switch (auth.type) {
		case 'apiToken':
			return basicSecrets(auth.email, auth.apiToken);
		case 'appPassword':
			return basicSecrets(auth.username, auth.appPassword);
		default:
			return auth.accessToken ? [auth.accessToken] : [];
	}
}
