import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * The two ways every Bitbucket Cloud node (action, webhook trigger, poll trigger) signs in: the API credential
 * (API token, access token or the removed app password) or OAuth2. One home, so the three nodes offer the same
 * choice under the same stored values.
 */
export const bitbucketCredentials: INodeCredentialDescription[] = [
	{ name: 'bitbucketCloudApi', required: true, displayOptions: { show: { authentication: ['bitbucketCloudApi'] } } },
	{ name: 'bitbucketCloudOAuth2Api', required: true, displayOptions: { show: { authentication: ['bitbucketCloudOAuth2Api'] } } },
];

/** The Authentication parameter, with an optional hint (e.g. the scope a trigger needs). */
export function authenticationProperty(hint?: string): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'API Token / Access Token', value: 'bitbucketCloudApi' },
			{ name: 'OAuth2', value: 'bitbucketCloudOAuth2Api' },
		],
		default: 'bitbucketCloudApi',
		...(hint ? { hint } : {}),
	};
}
