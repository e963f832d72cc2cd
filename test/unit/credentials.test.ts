/**
 * Each authentication type: the header it puts on requests (as the sandbox received it) and the credential
 * test n8n runs from the credential screen, executed through n8n-core's RoutingNode.
 */
import { BitbucketCloudApi } from '../../credentials/BitbucketCloudApi.credentials';
import { authFromCredentialFields, authorizationHeader } from '../../nodes/shared/bitbucket/auth';
import { BitbucketApiError } from '../../nodes/shared/bitbucket/errors';
import { REPO, testClient } from '../helpers/bitbucket';
import { testBitbucketCredential } from '../helpers/credential-test';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const apiToken = () => ({ authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl });
const accessToken = () => ({ authType: 'accessToken', accessToken: C.accessToken.token, workspace: C.workspace, repository: C.repo, baseUrl: sandbox.baseUrl });
const appPassword = () => ({ authType: 'appPassword', username: C.appPassword.username, appPassword: C.appPassword.password, baseUrl: sandbox.baseUrl });

describe('authenticate', () => {
	it('sends an API token as HTTP Basic with the Atlassian email', async () => {
		const signed = await new BitbucketCloudApi().authenticate(apiToken(), { url: '/user', headers: {} });
		const expected = `Basic ${Buffer.from(`${C.apiToken.email}:${C.apiToken.token}`).toString('base64')}`;
		expect(signed.headers?.Authorization).toBe(expected);
		const { client } = testClient(sandbox, { auth: authFromCredentialFields(apiToken()) });
		await client.getCurrentUser();
		expect(sandbox.requests[0].headers.authorization).toBe(expected);
		expect(sandbox.requests[0].authKind).toBe('apiToken');
	});

	it('sends an access token as Bearer', async () => {
		const signed = await new BitbucketCloudApi().authenticate(accessToken(), { url: '/x', headers: {} });
		expect(signed.headers?.Authorization).toBe(`Bearer ${C.accessToken.token}`);
		const { client } = testClient(sandbox, { auth: authFromCredentialFields(accessToken()) });
		await client.getRepo(REPO);
		expect(sandbox.requests[0].authKind).toBe('accessToken');
	});

	it('sends the legacy app password as Basic, which Bitbucket now refuses', async () => {
		const { client } = testClient(sandbox, { auth: authFromCredentialFields(appPassword()) });
		const error = (await client.getRepo(REPO).catch((e: unknown) => e)) as BitbucketApiError;
		expect(error).toBeInstanceOf(BitbucketApiError);
		expect(error.status).toBe(401);
		expect(sandbox.requests[0].authKind).toBe('appPassword');

		sandbox.setAppPasswordsEnabled(true);
		expect((await client.getRepo(REPO)).full_name).toBe('technocore_axion/axion');
	});

	it('names the empty field and refuses a plain-http base URL off loopback', async () => {
		const credential = new BitbucketCloudApi();
		await expect(credential.authenticate({ ...apiToken(), apiToken: ' ' }, { url: '/' })).rejects.toThrow('API Token is empty');
		await expect(credential.authenticate({ ...apiToken(), baseUrl: 'http://bitbucket.example.com/2.0' }, { url: '/' })).rejects.toThrow(
			/must use https/,
		);
		expect(() => authorizationHeader({ type: 'accessToken', accessToken: '' })).toThrow('Access Token is empty');
	});
});

describe('credential test (as run from the n8n credential screen)', () => {
	it('passes for a valid API token (GET /user)', async () => {
		expect(await testBitbucketCredential(apiToken())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/2.0/user']);
	});

	it('passes for an access token by checking its repository, since /user is off limits to it', async () => {
		expect((await testBitbucketCredential(accessToken())).status).toBe('OK');
		expect(sandbox.requests.map((r) => r.path)).toEqual(['/2.0/repositories/technocore_axion/axion']);
	});

	it('reports a wrong secret', async () => {
		const result = await testBitbucketCredential({ ...apiToken(), apiToken: 'wrong-token' });
		expect(result.status).toBe('Error');
		expect(result.httpCode).toBe(401);
		expect(result.message).toMatch(/rejected the credentials/);
	});

	it('reports the removed app passwords', async () => {
		const result = await testBitbucketCredential(appPassword());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/App passwords stopped working on 2026-07-28/);
	});

	it('reports an access token used on a repository it does not belong to', async () => {
		const result = await testBitbucketCredential({ ...accessToken(), repository: 'no-tracker' });
		expect(result.status).toBe('Error');
		expect(result.httpCode).toBe(403);
		expect(result.message).toMatch(/lacks a required scope|another workspace\/repository/);
	});
});
