/**
 * The Bitbucket Cloud Poll Trigger driven by n8n-core's own PollContext (one Workflow object, so the node's static
 * data lives on between polls as in an active workflow), against the sandbox over real HTTP: every change emitted
 * exactly once across polls, nothing when nothing changed, the requests each poll costs, equal timestamps at the
 * boundary, and a rate-limited poll that loses nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BitbucketCloudPollTrigger } from '../../nodes/BitbucketCloudPollTrigger/BitbucketCloudPollTrigger.node';
import { createPoller, type Poller } from '../../dev/n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';

const TYPE = 'n8n-nodes-axion-bitbucket.bitbucketCloudPollTrigger';
const rl = (value: string, mode = 'slug') => ({ __rl: true, mode, value });

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { pullRequests: 120, pipelines: 30, issues: 25 } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function poller(parameters: INodeParameters): Poller {
	return createPoller(
		{
			type: TYPE,
			nodeType: new BitbucketCloudPollTrigger(),
			parameters: { workspace: rl(C.workspace), repository: rl(C.repo), ...parameters },
			credentials: ['bitbucketCloudApi'],
		},
		{ credentials: { bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl } } },
	);
}

function repo() {
	return sandbox.state.repo(C.workspace, C.repo)!;
}

/** Runs one poll and returns the json items (none: []) and the API requests it cost. */
async function poll(p: Poller): Promise<{ items: IDataObject[]; requests: number }> {
	sandbox.clearRequests();
	const out = await p.poll();
	return { items: (out ?? []).map((i) => i.json), requests: sandbox.requests.length };
}

describe('pull requests created or updated', () => {
	const parameters = { watch: 'pullRequests', states: ['OPEN', 'MERGED', 'DECLINED'], simplify: true };

	it('starts without emitting, then emits each change exactly once, equal timestamps at the boundary included', async () => {
		const p = poller(parameters);
		const first = await poll(p);
		expect(first).toEqual({ items: [], requests: 1 });
		expect(p.staticData.watermark).toEqual(expect.any(String));

		// Nothing changed: one request, nothing emitted.
		expect(await poll(p)).toEqual({ items: [], requests: 1 });

		// Two pull requests updated in one transaction (one timestamp), then a poll.
		const open = repo().pullRequests.filter((pr) => pr.state === 'OPEN');
		const [a, b, c] = [open[0].id, open[1].id, open[2].id];
		const at = sandbox.touchPullRequests([a, b]);
		const second = await poll(p);
		expect(second.items.map((i) => i.id).sort()).toEqual([a, b].sort());
		expect(second.requests).toBe(1);
		expect(p.staticData).toMatchObject({ watermark: at, atWatermark: expect.arrayContaining([a, b]) });

		// A third pull request gets the very same timestamp after that poll read the first two: it is still new.
		sandbox.touchPullRequests([c], { at });
		const third = await poll(p);
		expect(third.items.map((i) => i.id)).toEqual([c]);

		// Nothing new: the three at the boundary come back from Bitbucket, none is emitted again.
		expect((await poll(p)).items).toEqual([]);

		// Updated again later: emitted again, once.
		sandbox.touchPullRequests([a]);
		expect((await poll(p)).items.map((i) => i.id)).toEqual([a]);
		expect((await poll(p)).items).toEqual([]);
	});

	it('costs ceil(changes / 50) requests, at least 1, with Simplify asking only the curated fields', async () => {
		const p = poller(parameters);
		await poll(p);
		const ids = repo()
			.pullRequests.filter((pr) => ['OPEN', 'MERGED', 'DECLINED'].includes(pr.state))
			.slice(0, 73)
			.map((pr) => pr.id);
		for (const id of ids) sandbox.touchPullRequests([id]);
		const { items, requests } = await poll(p);
		expect(items).toHaveLength(73);
		expect(new Set(items.map((i) => i.id)).size).toBe(73);
		expect(requests).toBe(2);
		// Oldest change first.
		const times = items.map((i) => Date.parse(String(i.updated_on)));
		expect(times).toEqual([...times].sort((x, y) => x - y));
		const call = sandbox.requests[0];
		expect(call.query).toMatchObject({ pagelen: ['50'], sort: ['updated_on'] });
		expect(call.query.q[0]).toMatch(/^updated_on >= \d{4}-/);
		expect(call.query.fields[0]).toContain('values.updated_on');
		expect(Object.keys(items[0]).sort()).toEqual(expect.arrayContaining(['id', 'state', 'title', 'updated_on']));
	});

	it('a 429 during a poll emits nothing and keeps the watermark: the next poll picks the changes up', async () => {
		const p = poller(parameters);
		await poll(p);
		const before = { ...p.staticData };
		const [x] = repo().pullRequests.filter((pr) => pr.state === 'OPEN');
		sandbox.touchPullRequests([x.id]);
		sandbox.inject({ status: 429 }, 1);
		await expect(p.poll()).rejects.toThrow(/Bitbucket 429/);
		expect(p.staticData.watermark).toBe(before.watermark);
		expect((await poll(p)).items.map((i) => i.id)).toEqual([x.id]);
	});

	it('Fetch Test Event returns the newest pull request and moves nothing', async () => {
		const p = poller(parameters);
		await poll(p);
		const state = JSON.stringify(p.staticData);
		const [sample] = (await p.poll('manual')) ?? [];
		const newest = [...repo().pullRequests].filter((pr) => ['OPEN', 'MERGED', 'DECLINED'].includes(pr.state)).sort((x, y) => Date.parse(y.updated_on) - Date.parse(x.updated_on))[0];
		expect(sample.json.id).toBe(newest.id);
		expect(JSON.stringify(p.staticData)).toBe(state);
	});
});

describe('pipelines completed', () => {
	const parameters = { watch: 'pipelines', results: [], simplify: true };

	it('emits each pipeline once when it finishes, in any order, and never a running one', async () => {
		const p = poller(parameters);
		// Two pipelines running when the trigger starts.
		const running = repo().pipelines.filter((pl) => pl.state.name !== 'COMPLETED').map((pl) => pl.build_number);
		expect(running.length).toBeGreaterThan(0);
		expect((await poll(p)).items).toEqual([]);
		expect(await poll(p)).toMatchObject({ items: [] });

		// One started after the trigger: running at the next poll, finished at the one after.
		const response = await fetch(`${sandbox.baseUrl}/repositories/${C.workspace}/${C.repo}/pipelines`, {
			method: 'POST',
			headers: { authorization: `Basic ${Buffer.from(`${C.apiToken.email}:${C.apiToken.token}`).toString('base64')}`, 'content-type': 'application/json' },
			body: JSON.stringify({ target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'develop' } }),
		});
		const started = ((await response.json()) as { build_number: number }).build_number;
		expect((await poll(p)).items).toEqual([]);

		for (const n of [...running].reverse()) sandbox.completePipeline(n, 'FAILED');
		sandbox.completePipeline(started, 'SUCCESSFUL');
		const finished = await poll(p);
		expect(finished.items.map((i) => i.build_number)).toEqual([...running, started].sort((x, y) => x - y));
		expect((await poll(p)).items).toEqual([]);
	});

	it('filters by result', async () => {
		const p = poller({ ...parameters, results: ['FAILED'] });
		await poll(p);
		const running = repo().pipelines.filter((pl) => pl.state.name !== 'COMPLETED').map((pl) => pl.build_number);
		expect(running.length).toBeGreaterThanOrEqual(2);
		sandbox.completePipeline(running[0], 'SUCCESSFUL');
		sandbox.completePipeline(running[1], 'FAILED');
		expect((await poll(p)).items.map((i) => i.build_number)).toEqual([running[1]]);
	});
});

describe('new commits on a branch', () => {
	it('emits the pushed commits oldest first, once', async () => {
		const p = poller({ watch: 'commits', branch: rl('develop', 'name'), simplify: true });
		expect((await poll(p)).items).toEqual([]);
		const pushed = sandbox.pushCommits('develop', 3);
		const { items, requests } = await poll(p);
		expect(items.map((i) => i.hash)).toEqual(pushed.map((c) => c.hash));
		expect(requests).toBe(1);
		expect((await poll(p)).items).toEqual([]);
	});
});

describe('issues created or updated', () => {
	it('emits each changed issue once', async () => {
		const p = poller({ watch: 'issues', simplify: true });
		await poll(p);
		const issue = repo().issues[0];
		issue.updated_on = new Date(Date.now() + 1000).toISOString().replace('Z', '000+00:00');
		sandbox.state.touch();
		expect((await poll(p)).items.map((i) => i.id)).toEqual([issue.id]);
		expect((await poll(p)).items).toEqual([]);
	});
});
