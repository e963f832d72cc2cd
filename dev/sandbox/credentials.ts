export const SANDBOX_CREDENTIALS = {
	workspace: 'technocore_axion',
	repo: 'axion',
	/** Atlassian API token: Basic auth, username = Atlassian account email. Every scope. */
	apiToken: { email: 'dev@axion.test', token: 'ATATT3xFfGF0sandboxDevFullScope5f1c2a9e' },
	/** Atlassian API token with read scopes only: writes answer 403 with the missing scopes. */
	readOnlyApiToken: { email: 'readonly@axion.test', token: 'ATATT3xFfGF0sandboxReadOnly7c3d41b0' },
	/** Repository access token for technocore_axion/axion: Bearer; cannot call /user. */
	accessToken: { token: 'ATCTT3xFfGF0sandboxRepoAxion93e1d7c2' },
	/** Legacy app password: Basic; answers 401 unless app passwords are enabled on the sandbox. */
	appPassword: { username: 'axion-bot', password: 'ATBBsandboxLegacyAppPassword4d2e' },
	/** OAuth 2.0 access token acting as the dev user (can call /user); it never expires. */
	oauth2: { accessToken: 'sandbox-oauth2-access-token-dev-0b6f' },
	/** The OAuth consumer (key and secret) registered in the workspace, for the authorize/token endpoints. */
	oauth2App: { clientId: 'sandboxConsumerKey7Hq2', clientSecret: 'sandboxConsumerSecret9xVw41kPz' },
} as const satisfies {
	workspace: 'technocore_axion';
	repo: 'axion';
	apiToken: { email: 'dev@axion.test'; token: string };
	readOnlyApiToken: { email: 'readonly@axion.test'; token: string };
	accessToken: { token: string };
	appPassword: { username: 'axion-bot'; password: string };
	oauth2: { accessToken: string };
	oauth2App: { clientId: string; clientSecret: string };
};

/** Bitbucket Cloud API-token scopes (names as in the spec's x-atlassian-oauth2-scopes). */
export const READ_SCOPES: readonly string[] = [
	'read:issue:bitbucket',
	'read:pipeline:bitbucket',
	'read:project:bitbucket',
	'read:pullrequest:bitbucket',
	'read:repository:bitbucket',
	'read:runner:bitbucket',
	'read:user:bitbucket',
	'read:webhook:bitbucket',
	'read:workspace:bitbucket',
];

export const ALL_SCOPES: readonly string[] = [
	...READ_SCOPES,
	'write:issue:bitbucket',
	'write:pipeline:bitbucket',
	'write:pullrequest:bitbucket',
	'write:repository:bitbucket',
	'write:runner:bitbucket',
	'write:webhook:bitbucket',
	'admin:pipeline:bitbucket',
	'admin:project:bitbucket',
	'admin:repository:bitbucket',
	'admin:workspace:bitbucket',
	'delete:issue:bitbucket',
	'delete:repository:bitbucket',
	'delete:webhook:bitbucket',
].sort();

/** What a repository access token for axion was created with: repository-level permissions only. */
export const ACCESS_TOKEN_SCOPES: readonly string[] = [
	'read:issue:bitbucket',
	'read:pipeline:bitbucket',
	'read:pullrequest:bitbucket',
	'read:repository:bitbucket',
	'read:webhook:bitbucket',
	'write:issue:bitbucket',
	'write:pipeline:bitbucket',
	'write:pullrequest:bitbucket',
	'write:repository:bitbucket',
	'write:webhook:bitbucket',
	'delete:webhook:bitbucket',
];
