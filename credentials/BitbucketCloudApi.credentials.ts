import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	authFromCredentialFields,
	authorizationHeader,
	DEFAULT_BASE_URL,
	normalizeBaseUrl,
} from '../nodes/shared/bitbucket/auth';

export class BitbucketCloudApi implements ICredentialType {
	name = 'bitbucketCloudApi';

	displayName = 'Bitbucket Cloud API';

	icon = { light: 'file:bitbucketCloud.svg', dark: 'file:bitbucketCloud.dark.svg' } as const;

	documentationUrl =
		'https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication Type',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'API Token',
					value: 'apiToken',
					description: 'Atlassian account email + API token (HTTP Basic). Recommended.',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'Workspace, project or repository access token (Bearer)',
				},
				{
					name: 'App Password (Removed by Atlassian on 2026-07-28)',
					value: 'appPassword',
					description: 'Legacy username + app password. Bitbucket no longer accepts them; kept for existing setups.',
				},
			],
			default: 'apiToken',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. name@example.com',
			default: '',
			required: true,
			hint: 'Your Atlassian account email, not your Bitbucket username',
			displayOptions: { show: { authType: ['apiToken'] } },
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Create it at id.atlassian.com → Security → "Create API token with scopes", app Bitbucket. API tokens expire (at most one year): renew it here before then.',
			displayOptions: { show: { authType: ['apiToken'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Workspace and project access tokens need Bitbucket Premium; repository access tokens work on every plan. Fill Workspace (and Default Repository) below: the test checks the token against them.',
			displayOptions: { show: { authType: ['accessToken'] } },
		},
		{
			displayName:
				'Atlassian removed app passwords on 2026-07-28: Bitbucket now answers 401 to them. Switch to an API token.',
			name: 'legacyAuthNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { authType: ['appPassword'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authType: ['appPassword'] } },
		},
		{
			displayName: 'App Password',
			name: 'appPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['appPassword'] } },
		},
		{
			displayName: 'Workspace',
			name: 'workspace',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-team',
			hint: 'Used when a node leaves Workspace empty. Required for access tokens.',
		},
		{
			displayName: 'Default Repository',
			name: 'repository',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-repo',
			hint: 'Used when a node leaves Repository empty. For a repository access token, its repository.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			hint: 'Change it only for a proxy (https) or a local sandbox (http://127.0.0.1:…)',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Validates the base URL here too, so a typo'd http:// URL fails before any secret is sent.
		normalizeBaseUrl(credentials.baseUrl as string | undefined);
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: authorizationHeader(authFromCredentialFields(credentials)),
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			// Access tokens cannot call /user: they are checked against their workspace (and repository).
			url: '={{ $credentials.authType === "accessToken" ? "/repositories/" + encodeURIComponent($credentials.workspace) + ($credentials.repository ? "/" + encodeURIComponent($credentials.repository) : "?pagelen=1") : "/user" }}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Bitbucket rejected the credentials (401). Check the email and API token (or access token). App passwords stopped working on 2026-07-28.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Bitbucket accepted the credentials but refused access (403): the token lacks a required scope (e.g. read:user:bitbucket or read:repository:bitbucket), or it belongs to another workspace/repository.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Bitbucket answered 400 to the test request: an API token without the scope read:user:bitbucket gets this. Add the scope or use an access token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Workspace or repository not found (404): check the Workspace and Default Repository fields, and that the token can see them.',
				},
			},
		],
	};
}
