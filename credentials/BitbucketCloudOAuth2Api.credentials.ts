import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_BASE_URL, DEFAULT_OAUTH_SERVER } from '../nodes/shared/bitbucket/auth';

/**
 * Scopes for everything the Bitbucket Cloud node does. In Bitbucket a `:write` scope includes its read scope;
 * the OAuth consumer must have been granted at least these in the workspace settings.
 */
export const BITBUCKET_OAUTH2_SCOPES = [
	'account',
	'project',
	'repository:write',
	'repository:admin',
	'pullrequest:write',
	'pipeline:write',
	'issue:write',
	'webhook',
].join(' ');

export class BitbucketCloudOAuth2Api implements ICredentialType {
	name = 'bitbucketCloudOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Bitbucket Cloud OAuth2 API';

	icon = { light: 'file:bitbucketCloud.svg', dark: 'file:bitbucketCloud.dark.svg' } as const;

	documentationUrl =
		'https://developer.atlassian.com/cloud/bitbucket/oauth-2/';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'OAuth Server',
			name: 'oauthServer',
			type: 'string',
			default: DEFAULT_OAUTH_SERVER,
			hint: 'Change it only for a proxy (https) or a local sandbox (http://127.0.0.1:…). Refresh tokens that stay unused expire: reconnect the credential then.',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{$self["oauthServer"]}}/site/oauth2/authorize',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{$self["oauthServer"]}}/site/oauth2/access_token',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: BITBUCKET_OAUTH2_SCOPES,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Since 2026-05-04 Bitbucket only accepts the access token in the Authorization header.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'Workspace',
			name: 'workspace',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-team',
			hint: 'Used when a node leaves Workspace empty',
		},
		{
			displayName: 'Default Repository',
			name: 'repository',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-repo',
			hint: 'Used when a node leaves Repository empty',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			hint: 'Change it only for a proxy (https) or a local sandbox (http://127.0.0.1:…)',
		},
	];
}
