/**
 * Bitbucket's OAuth 2.0 authorization server, as far as n8n uses it (bitbucket.org/site/oauth2/…):
 *  - GET  /site/oauth2/authorize    → 302 to the redirect URI with a one-time code (the consumer's "Grant access");
 *  - POST /site/oauth2/access_token → grant_type authorization_code | refresh_token | client_credentials, client
 *    authentication with HTTP Basic (client id : secret) or in the form body.
 * Access tokens expire (1 hour by default, or on demand through /_sandbox/oauth2/expire). Refresh tokens rotate:
 * every refresh returns a new one and the one used stops working ("invalid_grant"), as on Bitbucket since 2026.
 * Client-credentials grants get no refresh token.
 */
import { randomBytes } from 'node:crypto';

import { SANDBOX_CREDENTIALS } from './credentials';

export interface OAuth2Response {
	status: number;
	headers: Record<string, string>;
	body: string;
}

interface AccessToken {
	user: string;
	expiresAt: number;
	scopes: string;
}

type RefreshState = 'live' | 'used' | 'revoked';

export interface OAuth2Stats {
	/** Refresh-token grants answered with a new pair. */
	refreshes: number;
	/** Refresh-token grants refused (used, revoked or unknown token). */
	refused: number;
	/** The refresh tokens presented, in order (for assertions: which one the client used). */
	presented: string[];
	codes: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export class OAuth2Server {
	/** Seconds an access token lives (Bitbucket: 3600; shortened by tests). */
	accessTokenLifetimeSeconds = 3600;

	readonly stats: OAuth2Stats = { refreshes: 0, refused: 0, presented: [], codes: 0 };

	private readonly access = new Map<string, AccessToken>();

	private readonly refresh = new Map<string, { state: RefreshState; user: string; scopes: string }>();

	private readonly codes = new Map<string, { redirectUri: string; user: string; scopes: string }>();

	constructor(private readonly now: () => number = Date.now) {
		// The access token of SANDBOX_CREDENTIALS.oauth2 never expires: tests that only sign requests use it.
		this.access.set(SANDBOX_CREDENTIALS.oauth2.accessToken, { user: 'axion-dev', expiresAt: Number.POSITIVE_INFINITY, scopes: 'all' });
	}

	/** The account behind a live access token; 'expired' for a known but expired one. */
	check(token: string): { user: string } | 'expired' | undefined {
		const entry = this.access.get(token);
		if (!entry) return undefined;
		return entry.expiresAt > this.now() ? { user: entry.user } : 'expired';
	}

	/** Issues a pair directly (what a completed "Connect my account" leaves in n8n), for tests and the demo. */
	issue(user = 'axion-dev', scopes = 'account repository pullrequest pipeline webhook'): { access_token: string; refresh_token: string; expires_in: number } {
		const pair = this.newPair(user, scopes, true);
		return { access_token: pair.access_token, refresh_token: pair.refresh_token ?? '', expires_in: pair.expires_in };
	}

	/** Every access token issued so far expires now (the one-hour limit, without the wait). */
	expireAll(): number {
		let count = 0;
		for (const [token, entry] of this.access) {
			if (token === SANDBOX_CREDENTIALS.oauth2.accessToken) continue;
			entry.expiresAt = Math.min(entry.expiresAt, this.now() - 1);
			count++;
		}
		return count;
	}

	/** The user revoked the consumer's access: every refresh token dies. */
	revokeAll(): number {
		let count = 0;
		for (const entry of this.refresh.values()) {
			if (entry.state === 'live') {
				entry.state = 'revoked';
				count++;
			}
		}
		this.expireAll();
		return count;
	}

	handle(method: string, path: string, search: string, headers: Record<string, string>, rawBody: string): OAuth2Response {
		if (method === 'GET' && path === '/site/oauth2/authorize') return this.authorize(new URLSearchParams(search));
		if (method === 'POST' && path === '/site/oauth2/access_token') return this.token(headers, rawBody);
		return this.json(404, { error: 'not_found', error_description: `No OAuth2 endpoint ${method} ${path}` });
	}

	private authorize(query: URLSearchParams): OAuth2Response {
		const clientId = query.get('client_id');
		const redirectUri = query.get('redirect_uri') ?? '';
		if (clientId !== SANDBOX_CREDENTIALS.oauth2App.clientId) {
			return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Invalid client_id' };
		}
		if (query.get('response_type') !== 'code' || !/^https?:\/\//.test(redirectUri)) {
			return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Invalid request' };
		}
		const code = randomBytes(12).toString('hex');
		this.codes.set(code, { redirectUri, user: 'axion-dev', scopes: query.get('scope') ?? '' });
		this.stats.codes++;
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = query.get('state');
		if (state !== null) target.searchParams.set('state', state);
		return { status: 302, headers: { location: target.toString() }, body: '' };
	}

	private token(headers: Record<string, string>, rawBody: string): OAuth2Response {
		const form = new URLSearchParams(rawBody);
		let clientId = form.get('client_id');
		let clientSecret = form.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(headers['authorization'] ?? '');
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			clientId = decodeURIComponent(decoded.slice(0, colon));
			clientSecret = decodeURIComponent(decoded.slice(colon + 1));
		}
		const app = SANDBOX_CREDENTIALS.oauth2App;
		if (clientId !== app.clientId || clientSecret !== app.clientSecret) {
			return this.json(401, { error: 'invalid_client', error_description: 'Client credentials missing or invalid.' });
		}
		switch (form.get('grant_type')) {
			case 'authorization_code': {
				const code = this.codes.get(form.get('code') ?? '');
				if (!code) return this.json(400, { error: 'invalid_grant', error_description: 'The authorization code is invalid or was already used.' });
				this.codes.delete(form.get('code') ?? '');
				return this.json(200, this.newPair(code.user, code.scopes, true));
			}
			case 'refresh_token': {
				const token = form.get('refresh_token') ?? '';
				this.stats.presented.push(token);
				const entry = this.refresh.get(token);
				if (!entry || entry.state !== 'live') {
					this.stats.refused++;
					const why = !entry ? 'is unknown' : entry.state === 'used' ? 'was already used (refresh tokens rotate)' : 'was revoked';
					return this.json(400, { error: 'invalid_grant', error_description: `The refresh token ${why}.` });
				}
				entry.state = 'used';
				this.stats.refreshes++;
				return this.json(200, this.newPair(entry.user, entry.scopes, true));
			}
			case 'client_credentials':
				return this.json(200, this.newPair('axion-dev', 'all', false));
			default:
				return this.json(400, { error: 'unsupported_grant_type', error_description: 'Use authorization_code, refresh_token or client_credentials.' });
		}
	}

	private newPair(user: string, scopes: string, withRefresh: boolean) {
		const accessToken = `sbx-at-${randomBytes(18).toString('base64url')}`;
		this.access.set(accessToken, { user, scopes, expiresAt: this.now() + this.accessTokenLifetimeSeconds * 1000 });
		const pair: { access_token: string; token_type: string; expires_in: number; scopes: string; state: string; refresh_token?: string } = {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: this.accessTokenLifetimeSeconds,
			scopes,
			state: withRefresh ? 'authorization_code' : 'client_credentials',
		};
		if (withRefresh) {
			const refreshToken = `sbx-rt-${randomBytes(18).toString('base64url')}`;
			this.refresh.set(refreshToken, { state: 'live', user, scopes });
			pair.refresh_token = refreshToken;
		}
		return pair;
	}

	private json(status: number, body: unknown): OAuth2Response {
		return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
	}
}
