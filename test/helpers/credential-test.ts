/**
 * Runs a credential's declarative test the way n8n's credentials tester does: a temporary declarative node whose
 * only property routes the credential's test request, executed by n8n-core's engine (RoutingNode), then the
 * credential's responseCode rules applied to a failure.
 */
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { BitbucketCloudApi } from '../../credentials/BitbucketCloudApi.credentials';
import { runNode } from '../../dev/n8n/engine';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	httpCode?: number;
}

export async function testBitbucketCredential(data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const credential = new BitbucketCloudApi();
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: credential.test.request },
				},
			],
		},
	} as INodeType;
	const result = await runNode(
		{ type: 'test.credentialTest', nodeType, parameters: {}, credentials: [credential.name] },
		{ credentials: { [credential.name]: data } },
	);
	if (!result.error) return { status: 'OK', message: 'Connection successful!' };
	const httpCode = Number((result.error as { httpCode?: string }).httpCode) || undefined;
	for (const rule of credential.test.rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === httpCode) {
			return { status: 'Error', message: rule.properties.message, httpCode };
		}
	}
	return { status: 'Error', message: result.error.message, httpCode };
}
