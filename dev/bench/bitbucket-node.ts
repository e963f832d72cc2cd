/** The Bitbucket Cloud node run through n8n's engine against the sandbox, as the benchmarks need it. */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { runNode } from '../n8n/engine';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../sandbox/server';

/** The node's output items; a failed run throws its error. */
export async function runBitbucketNode(sandbox: Sandbox, parameters: INodeParameters, items?: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const result = await runNode(
		{ type: 'n8n-nodes-axion-bitbucket.bitbucketCloud', nodeType: new BitbucketCloud(), parameters, credentials: ['bitbucketCloudApi'] },
		{
			items,
			credentials: {
				bitbucketCloudApi: {
					authType: 'apiToken',
					email: SANDBOX_CREDENTIALS.apiToken.email,
					apiToken: SANDBOX_CREDENTIALS.apiToken.token,
					baseUrl: sandbox.baseUrl,
				},
			},
		},
	);
	if (result.error) throw result.error;
	return result.items;
}

/** A resource-locator value by slug. */
export const slug = (value: string) => ({ __rl: true, mode: 'slug', value });
