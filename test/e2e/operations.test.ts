/**
 * The Bitbucket Cloud node inside a real n8n (2.41.1, `n8n execute`, headless) against the Bitbucket sandbox
 * started in this jest process: what each workflow outputs, and what the sandbox received.
 *
 * One instance for the file, and several nodes per workflow where they are independent (each `n8n execute`
 * costs ~3-4 s): every resource's main read operation runs in one execution.
 *
 * The sandbox is seeded with 124 pull requests instead of 120 so that the pull request the lifecycle workflow
 * opens gets id 125: the sandbox merges pull requests whose id is divisible by 5 asynchronously (202 + task
 * polling), as Bitbucket does for slow merges.
 */
import type { IDataObject } from 'n8n-workflow';
import { readFileSync } from 'node:fs';

import { specTemplateFor } from '../helpers/openapi';
import { bitbucketDemoCredential } from '../../dev/n8n/demo';
import { N8nInstance, type ExecutionResult } from '../../dev/n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';
import { bitbucketNode, chain, describeRequests, fanOut, log, plainNode, rl, seconds } from './support';

jest.setTimeout(20 * 60_000);

const WS = C.workspace;
const REPO = C.repo;
const R = `/2.0/repositories/${WS}/${REPO}`;
const repoParams = { workspace: rl(WS), repository: rl(REPO) };
const SECRET = 'e2e-secured-value-7f3a9c1d';

let sandbox: Sandbox;
let n8n: N8nInstance;
const allRequests: RecordedRequest[] = [];

const bitbucket = () => bitbucketDemoCredential({ kind: 'sandbox', baseUrl: sandbox.baseUrl });
const repo = () => sandbox.state.repo(WS, REPO)!;

/** Runs a workflow and keeps the sandbox requests it caused (cleared first). */
async function execute(id: string): Promise<ExecutionResult> {
	allRequests.push(...sandbox.requests);
	sandbox.clearRequests();
	const result = await n8n.execute(id);
	log(`[e2e] n8n execute ${id}: ${seconds(result.durationMs)}, ${sandbox.requests.length} Bitbucket requests`);
	return result;
}

function ok(result: ExecutionResult): ExecutionResult {
	if (!result.ok) throw new Error(`execution failed: ${result.error?.message ?? 'no run data'}\n${result.error?.description ?? ''}`);
	return result;
}

function requestsTo(method: string, path: RegExp): RecordedRequest[] {
	return sandbox.requests.filter((r) => r.method === method && path.test(r.path));
}

const READS = {
	'Repository: get': { resource: 'repository', operation: 'get', ...repoParams },
	'Branch: get many': { resource: 'branch', operation: 'getMany', ...repoParams, returnAll: true },
	'Tag: get many': { resource: 'tag', operation: 'getMany', ...repoParams, returnAll: true },
	'Pull request: get many': { resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: true, filters: { state: ['OPEN'] }, simplify: true },
	'Pipeline: get many': { resource: 'pipeline', operation: 'getMany', ...repoParams, returnAll: false, limit: 10, simplify: true },
	'Commit: get many': { resource: 'commit', operation: 'getMany', ...repoParams, returnAll: false, limit: 25, filters: { revision: 'develop' }, simplify: true },
	'Issue: get many': { resource: 'issue', operation: 'getMany', ...repoParams, returnAll: true },
	'Webhook: get many': { resource: 'webhook', operation: 'getMany', scope: 'repository', ...repoParams, returnAll: true },
	'Deployment: get many': { resource: 'deployment', operation: 'getMany', ...repoParams, returnAll: true },
	'Custom API call': { resource: 'customApiCall', operation: 'call', method: 'GET', path: `/repositories/${WS}/${REPO}/refs/branches`, query: '{"sort":"name"}', paginate: true, returnAll: true },
} as const;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { pullRequests: 124 } });
	const started = Date.now();
	n8n = await N8nInstance.create({ log });
	const cred = bitbucket();
	const revoked = { ...cred, id: 'bitbucket-revoked', name: 'Bitbucket (revoked token)', data: { ...cred.data, apiToken: 'ATATT-revoked' } };
	await n8n.importCredentials([cred, revoked]);
	await n8n.importWorkflows([
		fanOut(
			'wfReads',
			Object.entries(READS).map(([name, parameters]) => bitbucketNode(name, parameters, cred)),
		),
		chain('wfPrLifecycle', [
			bitbucketNode(
				'Create pull request',
				{
					resource: 'pullRequest',
					operation: 'create',
					...repoParams,
					title: 'Adds CSV export for user data',
					sourceBranch: rl('feat/user-export'),
					destinationBranch: rl('develop'),
					additionalFields: { description: 'Implements FEAT-42.', closeSourceBranch: true },
				},
				cred,
			),
			bitbucketNode('Approve', { resource: 'pullRequest', operation: 'approve', ...repoParams, pullRequest: rl('={{ $json.id }}') }, cred),
			bitbucketNode(
				'Merge',
				{
					resource: 'pullRequest',
					operation: 'merge',
					...repoParams,
					pullRequest: rl("={{ $('Create pull request').item.json.id }}"),
					mergeStrategy: 'squash',
					options: { message: 'Merged by n8n', timeoutSeconds: 60 },
				},
				cred,
			),
		]),
		chain('wfSecuredVariable', [
			bitbucketNode(
				'Trigger pipeline',
				{
					resource: 'pipeline',
					operation: 'trigger',
					...repoParams,
					targetType: 'branch',
					branch: rl('develop'),
					pattern: 'deploy-staging',
					variablesInput: 'fields',
					variables: {
						variable: [
							{ key: 'DEPLOY_ENV', value: 'staging', secured: false },
							{ key: 'DEPLOY_TOKEN', value: SECRET, secured: true },
						],
					},
				},
				cred,
			),
		]),
		chain('wfRateLimitStorm', [
			bitbucketNode(
				'All pull requests',
				{
					resource: 'pullRequest',
					operation: 'getMany',
					...repoParams,
					returnAll: true,
					filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] },
					simplify: true,
					rateLimiting: { rateLimitWaitSeconds: 0, maxRetries: 3 },
				},
				cred,
			),
		]),
		chain('wfRevokedToken', [bitbucketNode('Repository', { resource: 'repository', operation: 'get', ...repoParams }, revoked)]),
		chain('wfParallel', [
			plainNode('Forty pull request ids', 'n8n-nodes-base.set', 3.4, {
				assignments: { assignments: [{ id: 'prs', name: 'prs', value: '={{ Array.from({ length: 40 }, (_, i) => i + 1) }}', type: 'array' }] },
				options: {},
			}),
			plainNode('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'prs', options: {} }),
			bitbucketNode(
				'Get pull request',
				{ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('={{ $json.prs }}'), simplify: true, requestOptions: { parallelRequests: 8 } },
				cred,
			),
		]),
		chain('wfFiles', [
			bitbucketNode('Read logo', { resource: 'file', operation: 'get', ...repoParams, path: 'docs/images/logo.png', output: 'binary', binaryProperty: 'logo' }, cred),
			bitbucketNode(
				'Commit files',
				{
					resource: 'file',
					operation: 'commit',
					...repoParams,
					branch: 'chore/e2e-release',
					message: 'Release notes and logo from n8n',
					files: {
						file: [
							{ path: 'CHANGELOG.md', source: 'text', content: '# Changelog\n\n## 2.4.0\n- Released from n8n\n' },
							{ path: 'docs/images/logo-copy.png', source: 'binary', binaryProperty: 'logo' },
						],
					},
					commitOptions: { fromBranch: 'develop', author: 'n8n Release <release@axion.test>' },
				},
				cred,
			),
			bitbucketNode(
				'Open pull request',
				{ resource: 'pullRequest', operation: 'create', ...repoParams, title: 'Release 2.4.0', sourceBranch: rl('={{ $json.branch }}', 'name'), destinationBranch: rl('develop', 'name') },
				cred,
			),
			bitbucketNode(
				'Read changelog',
				{ resource: 'file', operation: 'get', ...repoParams, path: 'CHANGELOG.md', at: "={{ $('Commit files').item.json.branch }}", output: 'text' },
				cred,
			),
			bitbucketNode('List docs', { resource: 'file', operation: 'list', ...repoParams, path: 'docs', at: 'chore/e2e-release', maxDepth: 3, returnAll: true }, cred),
		]),
		chain('wfSecuredUpsert', [
			bitbucketNode('Set token', { resource: 'pipelineVariable', operation: 'upsert', ...repoParams, key: 'DEPLOY_TOKEN', value: SECRET, secured: true }, cred),
			bitbucketNode('Rotate token', { resource: 'pipelineVariable', operation: 'upsert', ...repoParams, key: 'DEPLOY_TOKEN', value: `${SECRET}-rotated`, secured: true }, cred),
		]),
		chain('wfContinueOnFail', [
			plainNode('Three pull request ids', 'n8n-nodes-base.set', 3.4, {
				assignments: { assignments: [{ id: 'prs', name: 'prs', value: '={{ ["3", "99999", "4"] }}', type: 'array' }] },
				options: {},
			}),
			plainNode('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'prs', options: {} }),
			bitbucketNode(
				'Get pull request',
				{ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('={{ $json.prs }}'), simplify: true },
				cred,
				{ onError: 'continueRegularOutput' },
			),
		]),
	]);
	log(`[e2e] instance with credentials and workflows ready in ${seconds(Date.now() - started)}: ${n8n.root}`);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('every resource\'s main read operation, one execution', () => {
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await execute('wfReads');
	});

	it('succeeds, each node paired with the trigger item', () => {
		ok(result);
		for (const name of Object.keys(READS)) {
			const items = result.items(name);
			for (const item of items) expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	it('outputs what the repository holds', () => {
		const state = repo();
		expect(result.json('Repository: get')).toEqual([expect.objectContaining({ full_name: `${WS}/${REPO}`, slug: REPO })]);
		expect(result.json('Branch: get many').map((b) => b.name).sort()).toEqual(state.branches.map((b) => b.name).sort());
		expect(result.json('Tag: get many').map((t) => t.name).sort()).toEqual(state.tags.map((t) => t.name).sort());
		const open = state.pullRequests.filter((p) => p.state === 'OPEN');
		const prs = result.json('Pull request: get many');
		expect(prs.map((p) => p.id).sort((a, b) => Number(a) - Number(b))).toEqual(open.map((p) => p.id));
		expect(prs.every((p) => p.state === 'OPEN' && typeof p.title === 'string')).toBe(true);
		expect(prs[0]).not.toHaveProperty('participants'); // simplified
		const pipelines = result.json('Pipeline: get many');
		expect(pipelines).toHaveLength(10);
		const numbers = pipelines.map((p) => p.build_number as number);
		expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
		const commits = result.json('Commit: get many');
		expect(commits).toHaveLength(25);
		expect(commits.every((c) => /^[0-9a-f]{40}$/.test(String(c.hash)))).toBe(true);
		expect(result.json('Issue: get many')).toHaveLength(state.issues.length);
		const hooks = result.json('Webhook: get many');
		expect(hooks.map((h) => h.uuid)).toEqual(state.hooks.map((h) => h.uuid));
		expect(JSON.stringify(hooks)).not.toContain('seeded-secret');
		expect(result.json('Deployment: get many')).toHaveLength(state.deployments.length);
		expect(result.json('Custom API call').map((b) => b.name)).toEqual(state.branches.map((b) => b.name).sort());
	});

	it('sent one authenticated GET per page, each answered 200', () => {
		expect(sandbox.requests.every((r) => r.method === 'GET' && r.status === 200 && r.authKind === 'apiToken')).toBe(true);
		const paths = new Set(sandbox.requests.map((r) => r.path));
		for (const path of [
			R,
			`${R}/refs/branches`,
			`${R}/refs/tags`,
			`${R}/pullrequests`,
			`${R}/pipelines`,
			`${R}/commits/develop`,
			`${R}/issues`,
			`${R}/hooks`,
			`${R}/deployments`,
		]) {
			expect([...paths]).toContain(path);
		}
		const prPages = requestsTo('GET', /\/pullrequests$/);
		expect(prPages).toHaveLength(Math.ceil(repo().pullRequests.filter((p) => p.state === 'OPEN').length / 50));
		expect(prPages[0].query).toMatchObject({ state: ['OPEN'], pagelen: ['50'] });
		expect(String(prPages[0].query.fields)).toContain('values.source.branch.name');
		expect(requestsTo('GET', /\/pipelines$/)[0].query).toMatchObject({ sort: ['-created_on'], pagelen: ['10'] });
	});
});

describe('pull request lifecycle: create → approve → merge (202, then task polling)', () => {
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await execute('wfPrLifecycle');
	});

	it('opens the pull request from feat/user-export to develop', () => {
		ok(result);
		const [pr] = result.json('Create pull request');
		expect(pr).toMatchObject({ id: 125, title: 'Adds CSV export for user data', state: 'OPEN' });
		expect(pr.source).toMatchObject({ branch: { name: 'feat/user-export' } });
		expect(pr.destination).toMatchObject({ branch: { name: 'develop' } });
		const [post] = requestsTo('POST', /\/pullrequests$/);
		expect(post.status).toBe(201);
		expect(post.body).toEqual({
			title: 'Adds CSV export for user data',
			source: { branch: { name: 'feat/user-export' } },
			destination: { branch: { name: 'develop' } },
			description: 'Implements FEAT-42.',
			close_source_branch: true,
		});
	});

	it('approves it with an empty POST', () => {
		expect(result.json('Approve')).toEqual([expect.objectContaining({ approved: true })]);
		const [approve] = requestsTo('POST', /\/pullrequests\/125\/approve$/);
		expect(approve).toMatchObject({ status: 200, rawBody: '' });
	});

	it('merges it: Bitbucket answers 202, the node polls the task until the merge is done', () => {
		const [merged] = result.json('Merge');
		expect(merged).toMatchObject({ id: 125, state: 'MERGED' });
		const [post] = requestsTo('POST', /\/pullrequests\/125\/merge$/);
		expect(post.status).toBe(202);
		expect(post.body).toEqual({ type: 'pullrequest', merge_strategy: 'squash', message: 'Merged by n8n' });
		const polls = requestsTo('GET', /\/pullrequests\/125\/merge\/task-status\/[^/]+$/);
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expect(repo().pullRequests.find((p) => p.id === 125)?.state).toBe('MERGED');
	});
});

describe('pipeline trigger with a secured variable', () => {
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await execute('wfSecuredVariable');
	});

	it('sends the secured value to Bitbucket only', () => {
		ok(result);
		const [post] = requestsTo('POST', /\/pipelines$/);
		expect(post.status).toBe(201);
		expect(post.body).toEqual({
			target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'develop', selector: { type: 'custom', pattern: 'deploy-staging' } },
			variables: [
				{ key: 'DEPLOY_ENV', value: 'staging', secured: false },
				{ key: 'DEPLOY_TOKEN', value: SECRET, secured: true },
			],
		});
	});

	it('never outputs it: not in the items, not in n8n\'s stdout or stderr, not in its log file', () => {
		const [pipeline] = result.json('Trigger pipeline');
		expect(pipeline.uuid).toMatch(/^\{[-0-9a-f]+\}$/);
		// The run n8n printed is where these items came from: the output is in stdout, the secret is not.
		expect(result.stdout).toContain(String(pipeline.uuid));
		expect(result.stdout).toContain('DEPLOY_TOKEN');
		expect(JSON.stringify(result.runData)).not.toContain(SECRET);
		expect(result.stdout).not.toContain(SECRET);
		expect(result.stderr).not.toContain(SECRET);
		expect(readFileSync(n8n.n8nLogFile, 'utf8')).not.toContain(SECRET);
	});
});

describe('a 429 storm without Retry-After', () => {
	it('is retried with the node\'s Rate Limiting settings and loses nothing', async () => {
		sandbox.inject({ status: 429, method: 'GET', pathPattern: /\/pullrequests$/ }, 3);
		const result = ok(await execute('wfRateLimitStorm'));
		const prs = result.json('All pull requests');
		const all = repo().pullRequests;
		expect(prs).toHaveLength(all.length);
		expect(new Set(prs.map((p) => p.id)).size).toBe(all.length);
		const limited = sandbox.requests.filter((r) => r.status === 429);
		expect(limited).toHaveLength(3);
		expect(limited.every((r) => r.authKind === 'apiToken')).toBe(true);
		// Each page was eventually answered: pages of 50 plus the three refused attempts.
		expect(requestsTo('GET', /\/pullrequests$/).filter((r) => r.status === 200)).toHaveLength(Math.ceil(all.length / 50));
	});
});

describe('File: commit a text and a binary file to a new branch, open a pull request, read and list them back', () => {
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await execute('wfFiles');
	});

	it('commits both files in one multipart POST, the binary byte for byte, on a branch started from develop', () => {
		ok(result);
		const branch = sandbox.state.branch(repo(), 'chore/e2e-release')!;
		const tree = sandbox.state.treeOf(repo(), branch.target);
		expect(tree.get('docs/images/logo-copy.png')!.content.equals(repo().files.get('docs/images/logo.png')!.content)).toBe(true);
		expect(tree.get('CHANGELOG.md')!.content.toString()).toBe('# Changelog\n\n## 2.4.0\n- Released from n8n\n');
		expect(branch.target.parents).toEqual([sandbox.state.branch(repo(), 'develop')!.target.hash]);
		const [post] = requestsTo('POST', /\/src$/);
		expect(post.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(post.query).toEqual({});
		const [commit] = result.json('Commit files');
		expect(commit).toMatchObject({ hash: branch.target.hash, author: 'n8n Release <release@axion.test>', written: ['CHANGELOG.md', 'docs/images/logo-copy.png'] });
		expect(result.json('Read logo')[0]).toMatchObject({ path: 'docs/images/logo.png', mimeType: 'image/png' });
	});

	it('opens the pull request from the new branch, and reads and lists what it holds', () => {
		expect(result.json('Open pull request')[0]).toMatchObject({ source: { branch: { name: 'chore/e2e-release' } }, destination: { branch: { name: 'develop' } } });
		expect(result.json('Read changelog')[0]).toMatchObject({ path: 'CHANGELOG.md', content: '# Changelog\n\n## 2.4.0\n- Released from n8n\n' });
		const listed = result.json('List docs').map((e) => `${e.type} ${e.path}`);
		expect(listed).toContain('file docs/images/logo-copy.png');
		expect(listed.filter((e) => e.startsWith('file '))).toHaveLength([...sandbox.state.treeOf(repo(), sandbox.state.branch(repo(), 'chore/e2e-release')!.target).keys()].filter((p) => p.startsWith('docs/')).length);
	});
});

describe('Pipeline Variable: a secured value set twice by key', () => {
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await execute('wfSecuredUpsert');
	});

	it('creates it, then updates the same variable, and Bitbucket holds the new value', () => {
		ok(result);
		const [set] = result.json('Set token');
		const [rotated] = result.json('Rotate token');
		expect(set).toMatchObject({ key: 'DEPLOY_TOKEN', secured: true, created: true });
		expect(rotated).toMatchObject({ key: 'DEPLOY_TOKEN', secured: true, created: false, uuid: set.uuid });
		expect(repo().pipelineVariables.filter((v) => v.key === 'DEPLOY_TOKEN')).toEqual([expect.objectContaining({ value: `${SECRET}-rotated` })]);
	});

	it('never outputs the value: not in the items, not in n8n\'s stdout or stderr, not in its log file', () => {
		expect(JSON.stringify(result.runData)).not.toContain(SECRET);
		expect(result.stdout).toContain('DEPLOY_TOKEN');
		expect(result.stdout).not.toContain(SECRET);
		expect(result.stderr).not.toContain(SECRET);
		expect(readFileSync(n8n.n8nLogFile, 'utf8')).not.toContain(SECRET);
	});
});

describe('Parallel Requests', () => {
	it('gets 40 pull requests 8 at a time, in the order of the input, while the answers arrive in another order', async () => {
		// Slow enough answers that the 8 requests sent together are in flight together, even on a busy machine.
		sandbox.setLatency(100);
		// The earlier the pull request, the slower its answer.
		sandbox.onRequest = (request) => {
			const id = Number(/\/pullrequests\/(\d+)$/.exec(request.path)?.[1] ?? 0);
			return id ? (40 - id) * 3 : 0;
		};
		try {
			const result = ok(await execute('wfParallel'));
			const items = result.items('Get pull request');
			expect(items.map((i) => i.json.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
			expect(items.map((i) => i.pairedItem)).toEqual(Array.from({ length: 40 }, (_, item) => ({ item })));
			expect(sandbox.traffic.maxInFlight).toBe(8);
			// Answered out of order: the items did run side by side.
			const answered = [...requestsTo('GET', /\/pullrequests\/\d+$/)].sort((a, b) => a.answeredAt - b.answeredAt);
			expect(answered.map((r) => Number(r.path.split('/').pop()))).not.toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
		} finally {
			sandbox.setLatency(0);
			sandbox.onRequest = undefined;
		}
	});
});

describe('Continue On Fail', () => {
	it('3 items, the middle one fails: 3 output items, the middle one carries the error', async () => {
		const result = ok(await execute('wfContinueOnFail'));
		const items = result.items('Get pull request');
		expect(items).toHaveLength(3);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ id: 3 });
		expect(items[2].json).toMatchObject({ id: 4 });
		const failed = items[1].json as IDataObject;
		expect(failed.error).toEqual(expect.stringMatching(/404/));
		expect(failed).toMatchObject({ httpCode: 404 });
		expect(describeRequests(sandbox.requests)).toEqual([
			`GET ${R}/pullrequests/3 200`,
			`GET ${R}/pullrequests/99999 404`,
			`GET ${R}/pullrequests/4 200`,
		]);
	});
});

describe('a revoked token', () => {
	it("fails the execution at the node with Bitbucket's 401 message", async () => {
		const result = await execute('wfRevokedToken');
		expect(result.ok).toBe(false);
		expect(result.exitCode).toBe(1);
		expect(result.error?.node).toBe('Repository');
		expect(result.error?.message).toBe('Bitbucket 401: Login failed due to incorrect login credentials or method.');
		// n8n's httpRequestWithAuthentication sends a request that got 401 once more before giving up (n8n 2.41.1).
		expect(sandbox.requests.length).toBeGreaterThanOrEqual(1);
		expect(sandbox.requests.every((r) => r.path === R && r.authKind === 'invalid' && r.status === 401)).toBe(true);
		expect(result.stdout).not.toContain('ATATT-revoked');
	});
});

describe('the API spec', () => {
	it('has every method and path the node sent from n8n', () => {
		const all = [...allRequests, ...sandbox.requests];
		expect(all.length).toBeGreaterThan(15);
		expect(all.filter((r) => !specTemplateFor(r.method, r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
	});

	it('logged no package load error', () => {
		expect(n8n.loadErrors()).toEqual([]);
	});
});
