/**
 * How the nodes fail, through n8n-core's engine with n8n's own HTTP helper: the text a user reads for a POST
 * whose connection dropped, Continue On Fail for failures before the item loop (credential, options, database),
 * the field a bad pipeline variable is reported against, a merge timeout that waits the whole timeout, and what
 * n8n's transport does with a redirect to another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { AxionDatabase } from '../../credentials/AxionDatabase.credentials';
import { AxionSync } from '../../nodes/AxionSync/AxionSync.node';
import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { registerCredentialType, runNode, type RunResult } from '../../dev/n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';

const TYPE = 'n8n-nodes-axion-bitbucket.bitbucketCloud';
const rl = (value: string | number, mode = 'id') => ({ __rl: true, mode, value: String(value) });
const repoParams = { workspace: rl(C.workspace), repository: rl(C.repo) };
const N8N_RETRY_ADVICE = /You can retry the request immediately/;

let sandbox: Sandbox;
let foreign: Server;
let foreignOrigin = '';
const foreignHits: Array<{ url: string; authorization?: string }> = [];

beforeAll(async () => {
	registerCredentialType(new AxionDatabase());
	sandbox = await startSandbox();
	foreign = createServer((req, res) => {
		foreignHits.push({ url: req.url ?? '', authorization: req.headers.authorization });
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ values: [{ stolen: true }] }));
	});
	await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
	foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await sandbox.close();
	await new Promise((resolve) => foreign.close(resolve));
});
beforeEach(() => {
	sandbox.reset();
	foreignHits.length = 0;
});

const threeItems: INodeExecutionData[] = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];

async function bitbucket(
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean; credentials?: IDataObject } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	return await runNode(
		{
			type: TYPE,
			nodeType: new BitbucketCloud(),
			parameters: { rateLimiting: { rateLimitWaitSeconds: 0 }, ...parameters },
			credentials: ['bitbucketCloudApi'],
			continueOnFail: options.continueOnFail,
		},
		{
			credentials: {
				bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl, ...options.credentials },
			},
			items: options.items,
		},
	);
}

describe('a POST whose connection drops', () => {
	it("shows the node's own message and advice, not n8n's \"retry immediately\"", async () => {
		sandbox.inject({ status: 0, drop: true, method: 'POST', afterProcessing: true });
		const before = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.length;
		const result = await bitbucket({ resource: 'pullRequest', operation: 'create', ...repoParams, title: 'Dropped', sourceBranch: rl('feat/user-export') });
		expect(result.error?.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/technocore_axion\/axion\/pullrequests failed without a response \(connection reset\)\. It was not retried because Bitbucket may have processed it/);
		expect(result.error?.message).not.toMatch(N8N_RETRY_ADVICE);
		expect(result.error?.description).toMatch(/may or may not have been carried out\. It was not sent again/);
		expect(sandbox.requestCount({ method: 'POST' })).toBe(1);
		expect(sandbox.state.repo(C.workspace, C.repo)!.pullRequests.length).toBe(before + 1);
	});

	it('keeps the message even when user text contains an error code (a branch named after one)', async () => {
		const result = await bitbucket({ resource: 'branch', operation: 'get', ...repoParams, branch: rl('fix/econnreset-loop') });
		expect(result.error?.message).toBe('Bitbucket 404: Branch "fix/econnreset-loop" does not exist.');
		expect(result.error?.message).not.toMatch(N8N_RETRY_ADVICE);
	});
});

describe('failures before the item loop', () => {
	it.each([
		['a plain-http Base URL on another host', { credentials: { baseUrl: 'http://bitbucket.example.com/2.0' } }, {}, /Base URL "http:\/\/bitbucket\.example\.com\/2\.0" must use https/, 'credential.baseUrl'],
		['Max Retries of -1', {}, { rateLimiting: { maxRetries: -1 } }, /Rate Limiting → Max Retries must be a whole number from 0 to 10, got -1/, 'rateLimiting.maxRetries'],
		['an empty API token', { credentials: { apiToken: '' } }, {}, /API Token is empty/, 'credential.apiToken'],
	])('%s: with Continue On Fail every item becomes an error item', async (_what, options, parameters, message, field) => {
		const result = await bitbucket(
			{ resource: 'repository', operation: 'get', ...repoParams, ...parameters },
			{ ...options, continueOnFail: true, items: threeItems },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.error).toMatch(message);
			expect(item.json.field).toBe(field);
			expect(item.json.n).toBeUndefined(); // not the input passed through
		});
		expect(sandbox.requests).toHaveLength(0);
	});

	it.each([
		['a plain-http Base URL', { credentials: { baseUrl: 'http://bitbucket.example.com/2.0' } }, {}, /must use https/, /Base URL/],
		['Max Retries of -1', {}, { rateLimiting: { maxRetries: -1 } }, /Max Retries must be a whole number/, /Rate Limiting → Max Retries/],
	])('%s: without it the node fails naming the field', async (_what, options, parameters, message, field) => {
		const result = await bitbucket({ resource: 'repository', operation: 'get', ...repoParams, ...parameters }, { ...options, items: threeItems });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(field);
		expect(result.items).toHaveLength(0);
	});

	describe('Axion Sync', () => {
		async function axion(parameters: INodeParameters, credentials: ICredentialDataDecryptedObject, continueOnFail: boolean) {
			return await runNode(
				{ type: 'n8n-nodes-axion-bitbucket.axionSync', nodeType: new AxionSync(), parameters, credentials: ['axionDatabase'], continueOnFail },
				{ credentials: { axionDatabase: credentials }, items: threeItems },
			);
		}
		const badDatabase = { engine: 'postgres', host: '', database: 'axion', user: 'axion' };
		const link = { operation: 'linkRecord', sourceTable: 'def_features', sourceKey: '={{ $json.n }}', externalId: '={{ $json.n }}', externalType: 'pullrequest' };

		it('a bad database configuration: error items with Continue On Fail, a field-naming error without', async () => {
			const soft = await axion(link, badDatabase, true);
			expect(soft.items.map((i) => i.json.error)).toEqual(['Host is empty', 'Host is empty', 'Host is empty']);
			expect(soft.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const hard = await axion(link, badDatabase, false);
			expect(hard.error?.message).toBe('Host is empty');
			expect(hard.error?.description).toMatch(/Check the field "Host" of the Axion Database credential/);
		});

		it('a bad option: error items with Continue On Fail, not the input passed through', async () => {
			const lookUp = {
				operation: 'lookUpMany',
				lookUpBy: '={{ "sideways" }}',
				externalId: '={{ $json.n }}',
				externalType: 'pullrequest',
				sourceTable: 'def_features',
				sourceKey: '={{ $json.n }}',
			};
			const sqlite = { engine: 'sqlite', sqliteFile: ':memory:' };
			const soft = await axion(lookUp, sqlite, true);
			expect(soft.error).toBeUndefined();
			expect(soft.items).toHaveLength(3);
			for (const item of soft.items) expect(item.json).toEqual({ error: 'Look Up By must be external or source (got "sideways")' });
			const hard = await axion(lookUp, sqlite, false);
			expect(hard.error?.message).toBe('Look Up By must be external or source (got "sideways")');
		});
	});
});

describe('pipeline variables', () => {
	const trigger = { resource: 'pipeline', operation: 'trigger', ...repoParams, targetType: 'branch', branch: rl('develop') };

	it('a duplicate key in Variables (JSON) is reported against Variables (JSON)', async () => {
		const result = await bitbucket(
			{ ...trigger, variablesInput: 'json', variablesJson: '[{"key":"ENV","value":"a"},{"key":"ENV","value":"b"}]' },
			{ continueOnFail: true },
		);
		expect(result.items[0].json).toMatchObject({ error: 'Variable "ENV" is given twice', field: 'variablesJson' });
		expect(sandbox.requests).toHaveLength(0);
	});

	it('the same duplicate in the Variables rows is reported against Variables', async () => {
		const rows = { variable: [{ key: 'ENV', value: 'a' }, { key: 'ENV', value: 'b' }] };
		const result = await bitbucket({ ...trigger, variablesInput: 'fields', variables: rows }, { continueOnFail: true });
		expect(result.items[0].json).toMatchObject({ error: 'Variable "ENV" is given twice', field: 'variables' });
	});

	it('an object value in Variables (JSON) is refused by name, with no request', async () => {
		const result = await bitbucket({ ...trigger, variablesInput: 'json', variablesJson: '{"REGION": {"name": "eu"}}' });
		expect(result.error?.message).toBe('Variable "REGION": the value must be text, a number or true/false, not an object');
		expect(result.error?.description).toBe('Check the "Variables (JSON)" parameter.');
		expect(sandbox.requests).toHaveLength(0);
	});

	it.each([['null'], ['"DEPLOY=1"'], ['42']])('Variables (JSON) of %s is a typed error naming the field', async (json) => {
		const result = await bitbucket({ ...trigger, variablesInput: 'json', variablesJson: json });
		expect(result.error?.message).toMatch(/^Variables \(JSON\) must be an array of \{"key", "value", "secured"\} objects or an object of key → value/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('merge', () => {
	it('a pending 202 merge waits the whole Wait Timeout before failing, and says so', async () => {
		sandbox.state.mergePendingPolls = 1_000;
		const pr = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.find((p) => p.state === 'OPEN' && p.id % 5 === 0 && !p.draft)!;
		const started = Date.now();
		const result = await bitbucket({ resource: 'pullRequest', operation: 'merge', ...repoParams, pullRequest: rl(pr.id), options: { timeoutSeconds: 1 } });
		const elapsed = Date.now() - started;
		expect(result.error?.message).toMatch(new RegExp(`^Pull request #${pr.id}: Bitbucket accepted the merge \\(202\\) but it was still pending after 1(\\.\\d)? s of polling \\(Wait Timeout 1 s\\)`));
		expect(elapsed).toBeGreaterThanOrEqual(1_000); // the poll interval is 2 s: before, it gave up after the first poll
		expect(sandbox.requests.filter((r) => /task-status/.test(r.path))).toHaveLength(2);
	});
});

describe("n8n's transport and redirects", () => {
	it('refuses a redirect to another origin: the credential never leaves, no foreign data comes back', async () => {
		sandbox.inject({ status: 302, location: `${foreignOrigin}/2.0/steal`, pathPattern: /\/repositories\/technocore_axion\/axion$/ });
		const result = await bitbucket({ resource: 'repository', operation: 'get', ...repoParams });
		expect(result.error?.message).toMatch(new RegExp(`Refusing to follow a redirect to ${foreignOrigin}`));
		expect(foreignHits).toEqual([]);
	});

	it('follows a same-origin redirect, as for diffstat', async () => {
		const pr = sandbox.state.repo(C.workspace, C.repo)!.pullRequests[0];
		const result = await bitbucket({ resource: 'pullRequest', operation: 'getDiffstat', ...repoParams, pullRequest: rl(pr.id), returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		expect(sandbox.requests.map((r) => r.status)).toEqual([302, 200]);
	});
});
