/**
 * The CLI's configuration from environment variables (the seed's names). Missing or contradictory settings
 * throw a ConfigError that names the variable to set.
 */
import type { BitbucketAuth } from '../../nodes/shared/bitbucket/auth';

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

export interface CliConfig {
	auth: BitbucketAuth;
	baseUrl?: string;
	workspace: string;
	repo: string;
}

export const ENV = {
	email: 'AXION_BITBUCKET_EMAIL',
	apiToken: 'AXION_BITBUCKET_API_TOKEN',
	accessToken: 'AXION_BITBUCKET_ACCESS_TOKEN',
	username: 'AXION_BITBUCKET_USERNAME',
	appPassword: 'AXION_BITBUCKET_APP_PASSWORD',
	workspace: 'AXION_BITBUCKET_WORKSPACE',
	repo: 'AXION_BITBUCKET_REPO',
	baseUrl: 'AXION_BITBUCKET_BASE_URL',
} as const;

function value(env: NodeJS.ProcessEnv, name: string): string {
	return (env[name] ?? '').trim();
}

/** Picks the authentication from the environment: API token, then access token, then the legacy app password. */
export function authFromEnv(env: NodeJS.ProcessEnv): BitbucketAuth {
	const email = value(env, ENV.email);
	const apiToken = value(env, ENV.apiToken);
	if (email || apiToken) {
		if (!email) throw new ConfigError(`${ENV.apiToken} is set but ${ENV.email} is missing (API tokens authenticate with your Atlassian email)`);
		if (!apiToken) throw new ConfigError(`${ENV.email} is set but ${ENV.apiToken} is missing`);
		return { type: 'apiToken', email, apiToken };
	}
	const accessToken = value(env, ENV.accessToken);
	if (accessToken) return { type: 'accessToken', accessToken };
	const username = value(env, ENV.username);
	const appPassword = value(env, ENV.appPassword);
	if (username || appPassword) {
		if (!username) throw new ConfigError(`${ENV.appPassword} is set but ${ENV.username} is missing`);
		if (!appPassword) throw new ConfigError(`${ENV.username} is set but ${ENV.appPassword} is missing`);
		return { type: 'appPassword', username, appPassword };
	}
	throw new ConfigError(
		`No Bitbucket credentials: set ${ENV.email} + ${ENV.apiToken} (recommended), or ${ENV.accessToken}, or the legacy ${ENV.username} + ${ENV.appPassword}`,
	);
}

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: { workspace?: string; repo?: string } = {}): CliConfig {
	const auth = authFromEnv(env);
	const workspace = overrides.workspace?.trim() || value(env, ENV.workspace);
	const repo = overrides.repo?.trim() || value(env, ENV.repo);
	if (!workspace) throw new ConfigError(`${ENV.workspace} is missing (or pass --workspace)`);
	if (!repo) throw new ConfigError(`${ENV.repo} is missing (or pass --repo)`);
	return { auth, baseUrl: value(env, ENV.baseUrl) || undefined, workspace, repo };
}
