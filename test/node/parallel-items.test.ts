/**
 * Request Options → Parallel Requests, through n8n-core's workflow engine against the sandbox: items run side
 * by side, the output keeps the input's order and pairing, Continue On Fail keeps each error in its place,
 * and a failure without it stops the node without starting another request.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { runNode, type RunResult } from '../../dev/n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';

const rl = (value: string | number, mode = 'slug') => ({ __rl: true, mode, value: String(value) });
const repoParams = { workspace: rl(C.workspace), repository: rl(C.repo) };
const PR = /\/pullrequests\/(\d+)$/;

let sandbox: Sandbox;

beforeAll(async () => {
	// Slow enough answers that requests sent together are in flight together, even on a busy machine.
	sandbox = await startSandbox({ latencyMs: 100, seed: { pullRequests: 300 } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

async function run(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	options: { continueOnFail?: boolean } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	return await runNode(
		{
			type: 'n8n-nodes-axion-bitbucket.bitbucketCloud',
			nodeType: new BitbucketCloud(),
			parameters: { rateLimiting: { rateLimitWaitSeconds: 0.2 }, ...parameters },
			credentials: ['bitbucketCloudApi'],
			continueOnFail: options.continueOnFail,
		},
		{
			items,
			credentials: {
				bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl },
			},
		},
	);
}

const getEach = (requestOptions: INodeParameters = {}): INodeParameters => ({
	resource: 'pullRequest',
	operation: 'get',
	...repoParams,
	pullRequest: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	requestOptions,
});

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, i) => ({ json: { id: from + i } }));

function prRequests(): RecordedRequest[] {
	return sandbox.requests.filter((r) => PR.test(r.path));
}

describe('Parallel Requests', () => {
	it('keeps the input order and pairing while the answers come back in another order', async () => {
		// The earlier the item, the slower its answer.
		sandbox.onRequest = (request) => {
			const id = Number(PR.exec(request.path)?.[1] ?? 0);
			return id ? (20 - id) * 5 : 0;
		};
		const result = await run(getEach({ parallelRequests: 8 }), ids(20));
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(ids(20).map((i) => i.json.id));
		expect(result.items.map((i) => i.pairedItem)).toEqual(ids(20).map((_, item) => ({ item })));
		expect(sandbox.traffic.maxInFlight).toBe(8);
		// Answered out of order: the proof that the items did run side by side.
		const answered = [...prRequests()].sort((a, b) => a.answeredAt - b.answeredAt).map((r) => Number(PR.exec(r.path)?.[1]));
		expect(answered).not.toEqual([...answered].sort((a, b) => a - b));
	});

	it('runs 4 reads and 1 write at a time when not set, and what it says when set', async () => {
		await run(getEach(), ids(12));
		expect(sandbox.traffic.maxInFlight).toBe(4);

		sandbox.clearRequests();
		const comment = { resource: 'pullRequest', operation: 'addComment', ...repoParams, pullRequest: rl('={{ $json.id }}', 'id'), comment: 'seen' };
		const written = await run(comment, ids(6));
		expect(written.error).toBeUndefined();
		expect(sandbox.traffic.maxInFlight).toBe(1);

		sandbox.clearRequests();
		expect((await run({ ...comment, requestOptions: { parallelRequests: 3 } }, ids(6))).error).toBeUndefined();
		expect(sandbox.traffic.maxInFlight).toBe(3);
	});

	it('treats a Custom API Call GET as a read and any other method as a write', async () => {
		const call = (method: string) => ({ resource: 'customApiCall', operation: 'call', method, path: '=/repositories/technocore_axion/axion/pullrequests/{{ $json.id }}' });
		await run(call('GET'), ids(8));
		expect(sandbox.traffic.maxInFlight).toBe(4);
		sandbox.clearRequests();
		await run({ ...call('PUT'), body: '{"title": "renamed"}' }, ids(4), { continueOnFail: true });
		expect(sandbox.traffic.maxInFlight).toBe(1);
	});

	it('with Continue On Fail, puts each failing item in its own place and runs the others', async () => {
		const items = ids(12);
		items[5] = { json: { id: 99999 } };
		const result = await run(getEach({ parallelRequests: 4 }), items, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(12);
		expect(result.items.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(result.items[5].json.error).toMatch(/99999/);
		expect(result.items.filter((i) => i.json.error)).toHaveLength(1);
		expect(result.items[6].json.id).toBe(7);
	});

	it('without Continue On Fail, fails with the first failing item in item order and starts nothing after', async () => {
		// Items 1 and 3 do not exist; item 3 fails first (the others answer slowly), item 1 last.
		sandbox.onRequest = (request) => {
			const id = Number(PR.exec(request.path)?.[1] ?? 0);
			if (id === 90001) return 150;
			if (id === 90003) return 0;
			return 80;
		};
		const items = ids(20);
		items[1] = { json: { id: 90001 } };
		items[3] = { json: { id: 90003 } };
		const result = await run(getEach({ parallelRequests: 4 }), items);
		expect(result.error?.message).toMatch(/90001/);
		expect((result.error?.context as IDataObject | undefined)?.itemIndex).toBe(1);
		// Items 0 to 3 were in flight when item 3 failed; no other item started.
		expect(prRequests().map((r) => Number(PR.exec(r.path)?.[1])).sort((a, b) => a - b)).toEqual([1, 3, 90001, 90003]);
	});

	it('refuses the further pages of items in flight once another item failed', async () => {
		// Item 0 lists 300 pull requests (6 pages, its first one slow); item 1 names a repository that does not exist.
		sandbox.onRequest = (request) => (/\/axion\/pullrequests$/.test(request.path) && !request.query.page ? 100 : 0);
		const getMany = {
			resource: 'pullRequest',
			operation: 'getMany',
			workspace: rl(C.workspace),
			repository: rl('={{ $json.repo }}'),
			returnAll: true,
			filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] },
			requestOptions: { parallelRequests: 2 },
		};
		const result = await run(getMany, [{ json: { repo: C.repo } }, { json: { repo: 'no-such-repository' } }]);
		expect(result.error?.message).toMatch(/no-such-repository|not found/i);
		// The first page of item 0 was under way; none of its 5 other pages was asked for.
		expect(sandbox.requests.filter((r) => /\/axion\/pullrequests$/.test(r.path))).toHaveLength(1);
	});

	it('pauses every item on one 429 instead of letting the others go on', async () => {
		sandbox.onRequest = (_, index) => {
			if (index === 5) sandbox.inject({ status: 429 });
		};
		const result = await run({ ...getEach({ parallelRequests: 8 }), rateLimiting: { rateLimitWaitSeconds: 1 } }, ids(60));
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(ids(60).map((i) => i.json.id));
		const limited = prRequests().find((r) => r.status === 429)!;
		const retried = prRequests().find((r) => r !== limited && r.path === limited.path)!;
		// Rate Limiting → Wait Without Retry-After is 1 s, and every item waits it out with the limited one.
		expect(retried.arrivedAt - limited.answeredAt).toBeGreaterThanOrEqual(990);
		// During the pause only requests already under way arrive (the 7 other slots, and the few let through
		// before the answer was read); without the shared pause the 54 other items would all go. (Requests sent
		// when the pause ends may reach the sandbox before the retry does: they are not counted.)
		const during = prRequests().filter((r) => r.arrivedAt > limited.answeredAt && r.arrivedAt < limited.answeredAt + 990);
		expect(during.length).toBeLessThanOrEqual(16);
		expect(prRequests()).toHaveLength(61);
	});

	it('halves the pages fetched at once for Get Many when Bitbucket says the limit is near', async () => {
		const getMany = { resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: true, filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] }, requestOptions: { parallelRequests: 8 } };
		expect((await run(getMany, [{ json: {} }])).items).toHaveLength(300);
		expect(sandbox.traffic.maxInFlight).toBe(5); // 6 pages of 50: page 1, then the other 5 at once
		sandbox.reset();
		sandbox.setRateLimit({ nearLimitAfter: 0 });
		expect((await run(getMany, [{ json: {} }])).items).toHaveLength(300);
		expect(sandbox.traffic.maxInFlight).toBe(4);
	});

	it('names the field when Parallel Requests is out of range, before any request', async () => {
		const result = await run(getEach({ parallelRequests: 40 }), ids(2));
		expect(result.error?.message).toMatch(/Parallel Requests must be a whole number from 1 to 16, got 40/);
		expect(sandbox.requests).toHaveLength(0);
	});
});
