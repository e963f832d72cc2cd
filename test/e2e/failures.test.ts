/**
 * Failure paths inside a real n8n (2.41.1, `n8n execute`), as the editor shows them from the stored run:
 *  - a POST whose connection drops: the node's own message and advice, not n8n's "retry immediately";
 *  - OAuth2: an expired access token is refreshed by n8n, the rotated refresh token is stored and used for the
 *    next refresh; a revoked grant gives a "reconnect the credential" error, and no token shows anywhere;
 *  - a run whose output is far larger than a pipe would carry is read whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { bitbucketDemoCredential } from '../../dev/n8n/demo';
import { N8nInstance, type ExecutionResult, type N8nCredential } from '../../dev/n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { bitbucketNode, chain, log, plainNode, rl, seconds } from './support';

jest.setTimeout(10 * 60_000);

const repoParams = { workspace: rl(C.workspace), repository: rl(C.repo) };

let sandbox: Sandbox;
let n8n: N8nInstance;
let oauth: N8nCredential;
/** The OAuth2 tokens handed out during this file: none may show in any output or log. */
const tokens: string[] = [];

async function execute(id: string): Promise<ExecutionResult> {
	sandbox.clearRequests();
	const result = await n8n.execute(id);
	log(`[e2e] n8n execute ${id}: ${seconds(result.durationMs)}, ${sandbox.requests.length} Bitbucket requests`);
	return result;
}

beforeAll(async () => {
	sandbox = await startSandbox();
	n8n = await N8nInstance.create({ log });
	const apiToken = bitbucketDemoCredential({ kind: 'sandbox', baseUrl: sandbox.baseUrl });
	const first = sandbox.state.oauth2.issue();
	tokens.push(first.access_token, first.refresh_token);
	oauth = {
		id: 'bitbucket-oauth2',
		name: 'Bitbucket OAuth2 (sandbox)',
		type: 'bitbucketCloudOAuth2Api',
		data: {
			clientId: C.oauth2App.clientId,
			clientSecret: C.oauth2App.clientSecret,
			// bitbucket.org unless changed; here the sandbox plays it.
			oauthServer: sandbox.origin,
			grantType: 'authorizationCode',
			authentication: 'header',
			scope: 'account repository pullrequest',
			baseUrl: sandbox.baseUrl,
			oauthTokenData: { access_token: first.access_token, refresh_token: first.refresh_token, token_type: 'bearer', expires_in: first.expires_in },
		},
	};
	await n8n.importCredentials([apiToken, oauth]);
	await n8n.importWorkflows([
		chain('wfDroppedPost', [
			bitbucketNode('Create pull request', { resource: 'pullRequest', operation: 'create', ...repoParams, title: 'Dropped on the way back', sourceBranch: rl('feat/user-export'), destinationBranch: rl('develop') }, apiToken),
		]),
		chain('wfOAuthRead', [bitbucketNode('Get repository', { resource: 'repository', operation: 'get', ...repoParams }, oauth)]),
		chain('wfBigOutput', [
			plainNode('Big', 'n8n-nodes-base.set', 3.4, {
				assignments: { assignments: [{ id: 'big', name: 'big', value: "={{ 'x'.repeat(3000000) }}", type: 'string' }] },
				options: {},
			}),
			bitbucketNode('Get repository', { resource: 'repository', operation: 'get', ...repoParams }, apiToken),
		]),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('a POST whose connection drops, in the editor', () => {
	it("shows the node's message and advice, never n8n's \"You can retry the request immediately\"", async () => {
		const before = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.length;
		sandbox.inject({ status: 0, drop: true, method: 'POST', afterProcessing: true });
		const result = await execute('wfDroppedPost');
		expect(result.ok).toBe(false);
		const error = result.error?.raw as IDataObject;
		expect(result.error?.node).toBe('Create pull request');
		expect(result.error?.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/technocore_axion\/axion\/pullrequests failed without a response \(connection reset\)\. It was not retried because Bitbucket may have processed it: check before running it again\.$/);
		expect(result.error?.description).toMatch(/may or may not have been carried out\. It was not sent again, so that nothing is created twice/);
		// Nothing of n8n's generic text anywhere in the stored error (message, description, messages).
		expect(JSON.stringify(error)).not.toMatch(/retry the request immediately|closed unexpectedly/);
		expect(sandbox.requestCount({ method: 'POST' })).toBe(1);
		expect(sandbox.state.repo(C.workspace, C.repo)!.pullRequests.length).toBe(before + 1);
	});
});

describe('OAuth2 refresh with rotating refresh tokens', () => {
	it('refreshes an expired access token, stores the new refresh token, and uses it for the next refresh', async () => {
		sandbox.state.oauth2.expireAll();
		const first = await execute('wfOAuthRead');
		expect(first.error?.message).toBeUndefined();
		expect(first.json('Get repository')[0].full_name).toBe('technocore_axion/axion');
		expect(sandbox.state.oauth2.stats.refreshes).toBe(1);
		expect(sandbox.requests.map((r) => `${r.authKind} ${r.status}`)).toEqual(['oauth2 401', 'oauth2 200']);

		const stored = await n8n.exportCredential(oauth.id);
		const tokenData = (stored.data as IDataObject).oauthTokenData as IDataObject;
		const originalRefresh = (oauth.data.oauthTokenData as IDataObject).refresh_token as string;
		expect(tokenData.refresh_token).toMatch(/^sbx-rt-/);
		expect(tokenData.refresh_token).not.toBe(originalRefresh);
		tokens.push(String(tokenData.access_token), String(tokenData.refresh_token));

		sandbox.state.oauth2.expireAll();
		const second = await execute('wfOAuthRead');
		expect(second.error?.message).toBeUndefined();
		expect(sandbox.state.oauth2.stats.refreshes).toBe(2);
		// The second refresh presented the rotated token (the first one is dead by now).
		expect(sandbox.state.oauth2.stats.presented).toEqual([originalRefresh, tokenData.refresh_token]);
		expect(sandbox.state.oauth2.stats.refused).toBe(0);
		const again = (await n8n.exportCredential(oauth.id)).data as IDataObject;
		tokens.push(String((again.oauthTokenData as IDataObject).access_token), String((again.oauthTokenData as IDataObject).refresh_token));
	});

	it('a revoked grant tells the user to reconnect the credential, and no token or secret shows anywhere', async () => {
		sandbox.state.oauth2.revokeAll();
		const result = await execute('wfOAuthRead');
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe('The credential "Bitbucket OAuth2 (sandbox)" needs to be reconnected.');
		expect(result.error?.description).toMatch(/Open the credential and reconnect it/);
		expect(sandbox.state.oauth2.stats.refused).toBe(1);
		// One attempt, one refresh attempt: the failed refresh is not retried as if it were a network error.
		expect(sandbox.requests).toHaveLength(1);

		const logs = readdirSync(n8n.logDir).map((file) => readFileSync(join(n8n.logDir, file), 'utf8'));
		const everything = [result.stdout, result.stderr, JSON.stringify(result.run ?? {}), ...logs].join('\n');
		for (const secret of [...tokens, C.oauth2App.clientSecret]) {
			expect(secret.length).toBeGreaterThan(8);
			expect(everything).not.toContain(secret);
		}
	});
});

describe('the e2e harness', () => {
	it('reads a run of several megabytes whole (n8n prints it to a file, not a pipe)', async () => {
		const result = await execute('wfBigOutput');
		expect(result.error?.message).toBeUndefined();
		expect(result.stdout.length).toBeGreaterThan(3_000_000);
		expect(String(result.json('Big')[0].big)).toHaveLength(3_000_000);
		expect(result.json('Get repository')[0].full_name).toBe('technocore_axion/axion');
	});
});
