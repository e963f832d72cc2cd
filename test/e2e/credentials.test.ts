/**
 * The package's credentials inside a real n8n (2.41.1) against the Bitbucket sandbox (dev/sandbox, started in
 * this jest process; n8n's subprocesses reach it over loopback). The sandbox checks every authentication type
 * as Bitbucket Cloud does: API token (Basic, Atlassian email), access token (Bearer; 401 on /user, 403 on other
 * repositories), app password (401 since 2026-07-28 unless re-enabled), OAuth 2 (Bearer).
 *
 * - `n8n execute` of workflows whose HTTP Request nodes use our credential types: proves n8n decrypts them and
 *   signs requests through our `authenticate` (API token → Basic, access token → Bearer, OAuth2 → Bearer from
 *   n8n's OAuth2 code), and that the base-URL guard stops a plain-http non-loopback URL before any secret leaves.
 * - n8n's own credential test (the editor's "Test" button: POST /rest/credentials/test on a started n8n with
 *   an owner account): our `test` request and its messages for 401 / 403, for every authentication type.
 * Needs `npm run build` first (`npm test` runs it through pretest).
 */
import type { IDataObject } from 'n8n-workflow';

import { N8nInstance, type N8nCredential, type WorkflowNode } from '../../dev/n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { axionDemoCredential } from '../../dev/n8n/demo';
import { chain, describeRequests, log, seconds } from './support';

jest.setTimeout(20 * 60_000);

let sandbox: Sandbox;
let n8n: N8nInstance | undefined;
function instance(): N8nInstance {
	if (!n8n) throw new Error('the n8n instance was not created (see beforeAll)');
	return n8n;
}
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

const REPO_PATH = `/2.0/repositories/${C.workspace}/${C.repo}`;

beforeAll(async () => {
	sandbox = await startSandbox();
	const baseUrl = sandbox.baseUrl;
	n8n = await N8nInstance.create({ log });
	const api = credential('bbApiGood', 'bitbucketCloudApi', { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl });
	const revoked = credential('bbApiWrong', 'bitbucketCloudApi', { authType: 'apiToken', email: C.apiToken.email, apiToken: 'ATATT-revoked-token', baseUrl });
	const access = credential('bbAccessGood', 'bitbucketCloudApi', {
		authType: 'accessToken',
		accessToken: C.accessToken.token,
		workspace: C.workspace,
		repository: C.repo,
		baseUrl,
	});
	credential('bbAccessOtherRepo', 'bitbucketCloudApi', {
		authType: 'accessToken',
		accessToken: C.accessToken.token,
		workspace: C.workspace,
		repository: 'no-tracker',
		baseUrl,
	});
	credential('bbAppPassword', 'bitbucketCloudApi', {
		authType: 'appPassword',
		username: C.appPassword.username,
		appPassword: C.appPassword.password,
		baseUrl,
	});
	const oauth = credential('bbOAuth2', 'bitbucketCloudOAuth2Api', {
		clientId: 'e2e-client',
		clientSecret: 'e2e-secret',
		oauthTokenData: { access_token: C.oauth2.accessToken, token_type: 'bearer', refresh_token: 'e2e-refresh' },
		baseUrl,
	});
	const insecure = credential('bbInsecure', 'bitbucketCloudApi', {
		authType: 'apiToken',
		email: C.apiToken.email,
		apiToken: 'insecure-secret',
		baseUrl: 'http://bitbucket.example/2.0',
	});
	const axion = axionDemoCredential();
	credentials[axion.id] = axion;
	await n8n.importCredentials(Object.values(credentials));
	await n8n.importWorkflows([
		chain('wfAuth', [
			httpNode('API token', 200, `${baseUrl}/user`, api),
			httpNode('Access token', 400, `${baseUrl}/repositories/${C.workspace}/${C.repo}`, access),
			httpNode('OAuth2', 600, `${baseUrl}/user`, oauth),
		]),
		chain('wfRevoked', [httpNode('API token', 200, `${baseUrl}/user`, revoked)]),
		// The URL is the loopback sandbox: if the guard did not fire, the sandbox would see the secret.
		chain('wfInsecure', [httpNode('Insecure', 200, `${baseUrl}/user`, insecure)]),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

beforeEach(() => sandbox.reset());

describe('n8n execute signs requests with our credential types', () => {
	it('API token → Basic, access token → Bearer, OAuth2 → Bearer', async () => {
		const result = await instance().execute('wfAuth');
		log(`[e2e] n8n execute wfAuth: ${seconds(result.durationMs)}`);
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(result.exitCode).toBe(0);
		expect(result.json('API token')).toEqual([expect.objectContaining({ type: 'user', nickname: 'axion-dev' })]);
		expect(result.json('Access token')).toEqual([expect.objectContaining({ full_name: `${C.workspace}/${C.repo}` })]);
		expect(result.json('OAuth2')).toEqual([expect.objectContaining({ type: 'user', nickname: 'axion-dev' })]);
		const basic = `Basic ${Buffer.from(`${C.apiToken.email}:${C.apiToken.token}`).toString('base64')}`;
		expect(sandbox.requests.map(({ path, authKind, status, headers }) => ({ path, authKind, status, authorization: headers.authorization }))).toEqual([
			{ path: '/2.0/user', authKind: 'apiToken', status: 200, authorization: basic },
			{ path: REPO_PATH, authKind: 'accessToken', status: 200, authorization: `Bearer ${C.accessToken.token}` },
			{ path: '/2.0/user', authKind: 'oauth2', status: 200, authorization: `Bearer ${C.oauth2.accessToken}` },
		]);
	});

	it('a rejected token fails the execution at that node (exit code 1)', async () => {
		const result = await instance().execute('wfRevoked');
		expect(result.ok).toBe(false);
		expect(result.exitCode).toBe(1);
		expect(result.error?.node).toBe('API token');
		expect(result.error?.message).toMatch(/Authorization failed/i);
		expect(sandbox.requests.map((r) => [r.authKind, r.status])).toEqual([['invalid', 401]]);
	});

	it('a plain-http, non-loopback base URL fails before any secret is sent', async () => {
		const result = await instance().execute('wfInsecure');
		expect(result.ok).toBe(false);
		expect(JSON.stringify(result.error?.raw ?? result.error?.message)).toMatch(/https/);
		expect(describeRequests(sandbox.requests)).toEqual([]);
	});
});

describe("n8n's credential test (the editor's Test button)", () => {
	beforeAll(async () => {
		const started = Date.now();
		await instance().start();
		log(`[e2e] n8n start: ${seconds(Date.now() - started)}`);
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('API token: OK (GET /user with Basic email:token)', async () => {
		await expect(instance().testCredential(credentials.bbApiGood)).resolves.toEqual({ status: 'OK', message: expect.any(String) });
		expect(sandbox.requests.map((r) => [r.method, r.path, r.authKind, r.status])).toEqual([['GET', '/2.0/user', 'apiToken', 200]]);
	});

	it('wrong API token: our 401 message', async () => {
		const result = await instance().testCredential(credentials.bbApiWrong);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Bitbucket rejected the credentials \(401\)/) });
		// n8n's httpRequestWithAuthentication sends a request that got 401 once more (after its pre-authentication hook).
		expect(sandbox.requests.length).toBeGreaterThanOrEqual(1);
		expect(sandbox.requests.every((r) => r.path === '/2.0/user' && r.authKind === 'invalid' && r.status === 401)).toBe(true);
	});

	it('access token: OK, checked against its repository (it cannot call /user)', async () => {
		await expect(instance().testCredential(credentials.bbAccessGood)).resolves.toMatchObject({ status: 'OK' });
		expect(sandbox.requests.map((r) => [r.path, r.authKind, r.status])).toEqual([[REPO_PATH, 'accessToken', 200]]);
	});

	it('access token on another repository: our 403 message', async () => {
		const result = await instance().testCredential(credentials.bbAccessOtherRepo);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/refused access \(403\)/) });
		expect(sandbox.requests.map((r) => [r.path, r.status])).toEqual([[`/2.0/repositories/${C.workspace}/no-tracker`, 403]]);
	});

	it('app password: our 401 message (Bitbucket removed them on 2026-07-28)', async () => {
		const result = await instance().testCredential(credentials.bbAppPassword);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/rejected the credentials \(401\).*App passwords stopped working/) });
		expect(sandbox.requests.length).toBeGreaterThanOrEqual(1);
		expect(sandbox.requests.every((r) => r.path === '/2.0/user' && r.authKind === 'appPassword' && r.status === 401)).toBe(true);
	});

	it('app password where Bitbucket still accepts them: OK', async () => {
		sandbox.setAppPasswordsEnabled(true);
		await expect(instance().testCredential(credentials.bbAppPassword)).resolves.toMatchObject({ status: 'OK' });
		expect(sandbox.requests.map((r) => [r.authKind, r.status])).toEqual([['appPassword', 200]]);
	});

	it('Axion Database (SQLite in the n8n folder): OK', async () => {
		const result = await instance().testCredential(credentials['axion-sqlite']);
		expect(result).toEqual({ status: 'OK', message: expect.stringMatching(/SQLite/) });
	});

	it('logged no package load error', () => {
		expect(instance().loadErrors()).toEqual([]);
	});
});
