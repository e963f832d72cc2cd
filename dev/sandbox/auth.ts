/**
 * Authentication as Bitbucket Cloud does it in late 2026:
 *  - Atlassian API tokens: Basic, username = the Atlassian account EMAIL (a nickname with the token fails);
 *  - repository access tokens and OAuth 2.0 access tokens: Bearer;
 *  - app passwords: Basic username:app-password, removed on 2026-07-28 (401) unless the sandbox re-enables them.
 */
import { ACCESS_TOKEN_SCOPES, ALL_SCOPES, READ_SCOPES, SANDBOX_CREDENTIALS } from './credentials';
import type { Principal, RouteDefinition } from './context';
import { ApiError } from './errors';
import type { AccountRecord, SandboxState } from './model';
import type { AuthKind } from './types';

const WWW_AUTHENTICATE = { 'www-authenticate': 'Basic realm="Bitbucket.org HTTP"' };

export interface AuthOutcome {
	kind: AuthKind;
	principal?: Principal;
	error?: ApiError;
}

function unauthorized(message: string, detail?: string): ApiError {
	return new ApiError(401, message, { detail, headers: WWW_AUTHENTICATE });
}

function account(state: SandboxState, nickname: string): AccountRecord {
	const user = state.user(nickname);
	if (!user) throw new Error(`seed is missing account ${nickname}`);
	return user;
}

function basic(state: SandboxState, username: string, password: string, appPasswordsEnabled: boolean): AuthOutcome {
	const { apiToken, readOnlyApiToken, appPassword } = SANDBOX_CREDENTIALS;
	if (username.toLowerCase() === apiToken.email && password === apiToken.token) {
		return { kind: 'apiToken', principal: { kind: 'apiToken', user: account(state, 'axion-dev'), scopes: ALL_SCOPES } };
	}
	if (username.toLowerCase() === readOnlyApiToken.email && password === readOnlyApiToken.token) {
		return { kind: 'apiToken', principal: { kind: 'apiToken', user: account(state, 'axion-readonly'), scopes: READ_SCOPES } };
	}
	if (username === appPassword.username && password === appPassword.password) {
		if (!appPasswordsEnabled) {
			return {
				kind: 'appPassword',
				error: unauthorized(
					'App passwords are no longer supported. Use an Atlassian API token with your Atlassian account email as the username.',
					'Bitbucket Cloud removed app passwords on 2026-07-28: https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/',
				),
			};
		}
		return { kind: 'appPassword', principal: { kind: 'appPassword', user: account(state, 'axion-bot'), scopes: ALL_SCOPES } };
	}
	const tokenWithoutEmail = (password === apiToken.token || password === readOnlyApiToken.token) && !username.includes('@');
	return {
		kind: 'invalid',
		error: unauthorized(
			'Login failed due to incorrect login credentials or method.',
			tokenWithoutEmail ? 'API tokens authenticate with your Atlassian account email as the username, not your Bitbucket username.' : undefined,
		),
	};
}

function bearer(state: SandboxState, token: string): AuthOutcome {
	if (token === SANDBOX_CREDENTIALS.accessToken.token) {
		return {
			kind: 'accessToken',
			principal: {
				kind: 'accessToken',
				user: account(state, 'axion-repository-token'),
				scopes: ACCESS_TOKEN_SCOPES,
				repository: {
					workspace: SANDBOX_CREDENTIALS.workspace,
					slug: SANDBOX_CREDENTIALS.repo,
					workspaceUuid: state.workspace(SANDBOX_CREDENTIALS.workspace)?.uuid ?? '',
					uuid: state.repo(SANDBOX_CREDENTIALS.workspace, SANDBOX_CREDENTIALS.repo)?.uuid ?? '',
				},
			},
		};
	}
	const oauth2 = state.oauth2.check(token);
	if (oauth2 === 'expired') {
		return { kind: 'oauth2', error: new ApiError(401, 'Access token expired. Use your refresh token to obtain a new access token.') };
	}
	if (oauth2) return { kind: 'oauth2', principal: { kind: 'oauth2', user: account(state, oauth2.user), scopes: ALL_SCOPES } };
	return { kind: 'invalid', error: new ApiError(401, 'Token is invalid, expired, or not supported for this endpoint.') };
}

export function authenticate(state: SandboxState, authorization: string | undefined, appPasswordsEnabled: boolean): AuthOutcome {
	if (!authorization) {
		return { kind: 'none', error: unauthorized('This API is only accessible with the following authentication types: session, password, apppassword, api_token, repository_access_token, workspace_access_token, project_access_token, oauth2') };
	}
	const match = /^(\w+)\s+(.+)$/.exec(authorization.trim());
	const scheme = match?.[1].toLowerCase();
	if (scheme === 'basic' && match) {
		const decoded = Buffer.from(match[2], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return { kind: 'invalid', error: unauthorized('Login failed due to incorrect login credentials or method.') };
		return basic(state, decoded.slice(0, colon), decoded.slice(colon + 1), appPasswordsEnabled);
	}
	if (scheme === 'bearer' && match) return bearer(state, match[2]);
	return { kind: 'invalid', error: unauthorized('Login failed due to incorrect login credentials or method.') };
}

/**
 * Route-level checks after authentication: what a repository access token may reach, then scopes.
 * Order as on Bitbucket: the credential's reach first, then the scope check (403 with granted/required).
 */
export function authorize(principal: Principal, route: RouteDefinition, params: Readonly<Record<string, string>>): void {
	if (principal.kind === 'accessToken' && principal.repository) {
		// Access tokens are not users: Bitbucket refuses them on /user endpoints with this 401 message.
		if (route.access === 'user') throw new ApiError(401, 'Token is invalid, expired, or not supported for this endpoint.');
		const bound = principal.repository;
		const workspace = params['workspace'];
		if (workspace !== undefined && workspace !== bound.workspace && workspace !== bound.workspaceUuid) {
			throw new ApiError(403, 'Access token is not authorised for this workspace.', { detail: `The token belongs to ${bound.workspace}/${bound.slug}.` });
		}
		if (route.access === 'workspace' && !route.accessTokenAllowed) {
			throw new ApiError(403, 'Access tokens of a repository cannot access workspace-level resources.');
		}
		const repoSlug = params['repo_slug'];
		if (route.access === 'repository' && repoSlug !== bound.slug && repoSlug !== bound.uuid) {
			throw new ApiError(403, 'Access token is not authorised for this repository.', { detail: `The token belongs to ${bound.workspace}/${bound.slug}.` });
		}
	}
	const missing = route.scopes.filter((s) => !principal.scopes.includes(s));
	if (missing.length > 0) {
		throw new ApiError(403, 'Your credentials lack one or more required privilege scopes.', {
			detail: { granted: [...principal.scopes], required: [...route.scopes] },
		});
	}
}
