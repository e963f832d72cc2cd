/**
 * The package's credentials inside a real n8n (2.41.1), headless, against a loopback fake of Bitbucket's
 * authentication (./fake-bitbucket.ts):
 * - `n8n execute` of workflows whose HTTP Request nodes use our credential types: proves n8n decrypts them and
 *   signs requests through our `authenticate` (API token → Basic, access token → Bearer, OAuth2 → Bearer from
 *   n8n's OAuth2 code), and that the base-URL guard stops a plain-http non-loopback URL before any secret leaves.
 * - n8n's own credential test (what the editor's "Test" button calls, POST /rest/credentials/test on a started
 *   n8n with an owner account): our `test` request and its messages for 401 / 403.
 * Needs `npm run build` first (`npm test` runs it through pretest).
 */
import type { IDataObject } from 'n8n-workflow';

import { N8nInstance, type N8nCredential, type WorkflowDefinition, type WorkflowNode } from '../n8n/instance';
import { FakeBitbucket } from './fake-bitbucket';

jest.setTimeout(20 * 60_000);

const log = (line: string) => process.stderr.write(`${line}\n`);

const EMAIL = 'dev@axion.test';
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

const fake = new FakeBitbucket({
	apiTokens: [{ email: EMAIL, token: 'good-api-token' }],
	accessTokens: [{ token: 'good-access-token', workspace: 'axion-ws', repository: 'axion' }],
	oauthTokens: ['good-oauth-token'],
});

let n8n: N8nInstance | undefined;
function instance(): N8nInstance {
	if (!n8n) throw new Error('the n8n instance was not created (see beforeAll)');
	return n8n;
}
let baseUrl = '';
const credentials: Record<string, N8nCredential> = {};

function credential(id: string, type: string, data: IDataObject): N8nCredential {
	const created = { id, name: `e2e ${id}`, type, data };
	credentials[id] = created;
	return created;
}

function httpNode(name: string, x: number, url: string, cred: N8nCredential): WorkflowNode {
	return {
		id: name.replace(/\W/g, '').toLowerCase(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0],
		parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: cred.type, options: {} },
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
	};
}

/** Manual Trigger → the given nodes, chained. */
function chain(id: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const all: WorkflowNode[] = [
		{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...nodes,
	];
	const connections: WorkflowDefinition['connections'] = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: `e2e ${id}`, nodes: all, connections };
}

beforeAll(async () => {
	baseUrl = await fake.listen();
	n8n = await N8nInstance.create({ log });
	const api = credential('bbApiGood', 'bitbucketCloudApi', { authType: 'apiToken', email: EMAIL, apiToken: 'good-api-token', baseUrl });
	const revoked = credential('bbApiRevoked', 'bitbucketCloudApi', { authType: 'apiToken', email: EMAIL, apiToken: 'revoked', baseUrl });
	const access = credential('bbAccessGood', 'bitbucketCloudApi', {
		authType: 'accessToken',
		accessToken: 'good-access-token',
		workspace: 'axion-ws',
		repository: 'axion',
		baseUrl,
	});
	credential('bbAccessOtherWs', 'bitbucketCloudApi', {
		authType: 'accessToken',
		accessToken: 'good-access-token',
		workspace: 'someone-else',
		baseUrl,
	});
	const oauth = credential('bbOAuth2', 'bitbucketCloudOAuth2Api', {
		clientId: 'e2e-client',
		clientSecret: 'e2e-secret',
		oauthTokenData: { access_token: 'good-oauth-token', token_type: 'bearer', refresh_token: 'e2e-refresh' },
		baseUrl,
	});
	const insecure = credential('bbInsecure', 'bitbucketCloudApi', {
		authType: 'apiToken',
		email: EMAIL,
		apiToken: 'insecure-secret',
		baseUrl: 'http://bitbucket.example/2.0',
	});
	await n8n.importCredentials(Object.values(credentials));
	await n8n.importWorkflows([
		chain('wfAuth', [
			httpNode('API token', 200, `${baseUrl}/user`, api),
			httpNode('Access token', 400, `${baseUrl}/repositories/axion-ws/axion`, access),
			httpNode('OAuth2', 600, `${baseUrl}/user`, oauth),
		]),
		chain('wfRevoked', [httpNode('API token', 200, `${baseUrl}/user`, revoked)]),
		// The URL is the loopback fake: if the guard did not fire, the fake would see the secret.
		chain('wfInsecure', [httpNode('Insecure', 200, `${baseUrl}/user`, insecure)]),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await fake.close();
});

describe('n8n execute signs requests with our credential types', () => {
	it('API token → Basic, access token → Bearer, OAuth2 → Bearer', async () => {
		fake.requests.length = 0;
		const started = Date.now();
		const result = await instance().execute('wfAuth');
		log(`[e2e] n8n execute wfAuth: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(result.exitCode).toBe(0);
		expect(result.json('API token')).toEqual([expect.objectContaining({ type: 'user', display_name: 'Axion Tester' })]);
		expect(result.json('Access token')).toEqual([expect.objectContaining({ full_name: 'axion-ws/axion' })]);
		expect(result.json('OAuth2')).toEqual([expect.objectContaining({ type: 'user' })]);
		expect(fake.requests.map(({ path, authorization }) => ({ path, authorization }))).toEqual([
			{ path: '/2.0/user', authorization: basic(EMAIL, 'good-api-token') },
			{ path: '/2.0/repositories/axion-ws/axion', authorization: 'Bearer good-access-token' },
			{ path: '/2.0/user', authorization: 'Bearer good-oauth-token' },
		]);
	});

	it('a rejected token fails the execution at that node (exit code 1)', async () => {
		const result = await instance().execute('wfRevoked');
		expect(result.ok).toBe(false);
		expect(result.exitCode).toBe(1);
		expect(result.error?.node).toBe('API token');
		expect(result.error?.message).toMatch(/Authorization failed/i);
	});

	it('a plain-http, non-loopback base URL fails before any secret is sent', async () => {
		fake.requests.length = 0;
		const result = await instance().execute('wfInsecure');
		expect(result.ok).toBe(false);
		expect(JSON.stringify(result.error?.raw ?? result.error?.message)).toMatch(/https/);
		expect(fake.requests).toEqual([]);
	});
});

describe("n8n's credential test (the editor's Test button)", () => {
	beforeAll(async () => {
		const started = Date.now();
		await instance().start();
		log(`[e2e] n8n start: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('accepts a valid API token (GET /user)', async () => {
		fake.requests.length = 0;
		await expect(instance().testCredential(credentials.bbApiGood)).resolves.toEqual({ status: 'OK', message: expect.any(String) });
		expect(fake.requests[0]).toMatchObject({ path: '/2.0/user', authorization: basic(EMAIL, 'good-api-token') });
	});

	it('explains a rejected API token (401)', async () => {
		const result = await instance().testCredential(credentials.bbApiRevoked);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the credentials \(401\)/);
	});

	it('checks an access token against its repository, not /user', async () => {
		fake.requests.length = 0;
		await expect(instance().testCredential(credentials.bbAccessGood)).resolves.toMatchObject({ status: 'OK' });
		expect(fake.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/2.0/repositories/axion-ws/axion']));
		expect(fake.requests.every((r) => r.authorization === 'Bearer good-access-token')).toBe(true);
	});

	it('explains an access token used on another workspace (403)', async () => {
		const result = await instance().testCredential(credentials.bbAccessOtherWs);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused access \(403\)/);
	});

	it('logged no package load error', () => {
		expect(instance().loadErrors()).toEqual([]);
	});
});
