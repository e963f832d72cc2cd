/**
 * Pages fetched ahead, and the one gate of an execution: real HTTP to the sandbox, with latency so that
 * requests sent together overlap even on a busy machine, and the sandbox's own record of what arrived when.
 */
import { BitbucketPaginationError } from '../../nodes/shared/bitbucket/errors';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';
import { REPO, testClient } from '../helpers/bitbucket';

const PR_PATH = /\/repositories\/technocore_axion\/axion\/pullrequests$/;
const ALL_STATES = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;
const TOTAL = 500;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { pullRequests: TOTAL }, latencyMs: 100 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function repo() {
	return sandbox.state.repo(REPO.workspace, REPO.repo)!;
}

function pageRequests(): RecordedRequest[] {
	return sandbox.requests.filter((r) => PR_PATH.test(r.path));
}

/** Ids of the pull requests in the given states, newest first (the list's order). */
function expectedIds(states: readonly string[] = ALL_STATES): number[] {
	return repo()
		.pullRequests.filter((p) => states.includes(p.state))
		.map((p) => p.id)
		.reverse();
}

describe('page-numbered collections are fetched several pages at a time', () => {
	it('reads every item once, in order, with the minimum number of requests, several in flight', async () => {
		const { client } = testClient(sandbox, { concurrency: 4 });
		const prs = await client.listPullRequests(REPO, { states: [...ALL_STATES] });
		expect(prs.map((p) => p.id)).toEqual(expectedIds());
		expect(pageRequests()).toHaveLength(TOTAL / 50);
		expect(pageRequests().map((r) => r.query.page?.[0] ?? '1')).toEqual(expect.arrayContaining(['1', '2', '10']));
		expect(sandbox.traffic.maxInFlight).toBe(4);
	});

	it('walks one page after another with concurrency 1', async () => {
		const { client } = testClient(sandbox, { concurrency: 1 });
		expect((await client.listPullRequests(REPO, { states: [...ALL_STATES] })).map((p) => p.id)).toEqual(expectedIds());
		expect(pageRequests()).toHaveLength(10);
		expect(sandbox.traffic.maxInFlight).toBe(1);
	});

	it('asks only for the pages a limit needs', async () => {
		const { client } = testClient(sandbox, { concurrency: 8 });
		const prs = await client.listPullRequests(REPO, { states: [...ALL_STATES], limit: 120 });
		expect(prs.map((p) => p.id)).toEqual(expectedIds().slice(0, 120));
		expect(pageRequests()).toHaveLength(3);
	});

	it('keeps Max Pages exact: the pages it allows are read, none more, and the walk fails clearly', async () => {
		const { client } = testClient(sandbox, { concurrency: 8 });
		const error = await client.listPullRequests(REPO, { states: [...ALL_STATES], maxPages: 3 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BitbucketPaginationError);
		expect((error as Error).message).toMatch(/Stopped after 3 page\(s\) \(150 items\) because Max Pages is 3/);
		expect(pageRequests()).toHaveLength(3);
	});

	it('adds size and page to a fields selection, and still reads every page', async () => {
		const { client } = testClient(sandbox, { concurrency: 4 });
		const prs = await client.listPullRequests(REPO, { states: [...ALL_STATES], fields: 'values.id' });
		expect(prs.map((p) => p.id)).toEqual(expectedIds());
		for (const request of pageRequests()) expect(request.query.fields).toEqual(['values.id,next,size,page']);
		expect(sandbox.traffic.maxInFlight).toBe(4);
	});

	it('keeps cursor collections (commits, filtered branches) one page after another', async () => {
		const { client } = testClient(sandbox, { concurrency: 8 });
		expect(await client.listCommits(REPO)).toHaveLength(repo().commits.length);
		const branches = await client.listBranches(REPO, { q: 'name ~ "e"' });
		expect(branches.length).toBeGreaterThan(0);
		expect(sandbox.traffic.maxInFlight).toBe(1);
	});
});

describe('a collection that changes during the walk', () => {
	it('loses nothing and repeats nothing when pull requests are closed while pages are being read', async () => {
		const { client } = testClient(sandbox, { concurrency: 4 });
		const open = () => repo().pullRequests.filter((p) => p.state === 'OPEN');
		const before = open().length;
		// When the third page is asked for, the 40 newest open pull requests are declined: every later page moves
		// back by 40 items.
		sandbox.onRequest = (request) => {
			if (request.query.page?.[0] === '3' && open().length === before) {
				for (const pr of open().slice(-40)) pr.state = 'DECLINED';
				sandbox.state.touch();
			}
		};
		const prs = await client.listPullRequests(REPO, { states: ['OPEN'] });
		const ids = prs.map((p) => p.id);
		expect(new Set(ids).size).toBe(ids.length);
		// Every pull request still open at the end is there; the declined ones may or may not be.
		expect(ids).toEqual(expect.arrayContaining(expectedIds(['OPEN'])));
	});

	it('reads again, without duplicates, when pull requests are added at the front during the walk', async () => {
		const { client } = testClient(sandbox, { concurrency: 4 });
		const originalIds = expectedIds();
		sandbox.onRequest = (request) => {
			if (request.query.page?.[0] === '4' && repo().pullRequests.length === TOTAL) {
				const template = repo().pullRequests[0];
				for (let n = 1; n <= 30; n++) repo().pullRequests.push({ ...template, id: TOTAL + n, comments: [], activity: [] });
				sandbox.state.touch();
			}
		};
		const ids = (await client.listPullRequests(REPO, { states: [...ALL_STATES] })).map((p) => p.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual(expect.arrayContaining(originalIds));
	});

	it.each([
		['fetched ahead', 8, '3', 60],
		['one after another', 1, '2', 30],
	])('falls back from "Invalid page" when the collection shrinks below the pages planned (%s)', async (_, concurrency, page, left) => {
		const { client } = testClient(sandbox, { concurrency });
		const open = () => repo().pullRequests.filter((p) => p.state === 'OPEN');
		const before = open().length;
		// When page `page` is asked for, all but `left` open pull requests are merged: that page no longer exists.
		sandbox.onRequest = (request) => {
			if (request.query.page?.[0] === page && open().length === before) {
				for (const pr of open().slice(0, -left)) pr.state = 'MERGED';
				sandbox.state.touch();
			}
		};
		const ids = (await client.listPullRequests(REPO, { states: ['OPEN'] })).map((p) => p.id);
		expect(pageRequests().filter((r) => r.status === 400).map((r) => r.query.page?.[0])).toContain(page);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual(expect.arrayContaining(expectedIds(['OPEN'])));
	});
});

describe('one rate-limit gate for every request', () => {
	it('pauses every request on a 429 in the middle of the pool, once, and loses nothing', async () => {
		const { client, retries } = testClient(sandbox, { concurrency: 4, retry: { rateLimitDelayMs: 300 } });
		let injected = false;
		sandbox.onRequest = (request) => {
			if (request.query.page?.[0] === '5' && !injected) {
				injected = true;
				sandbox.inject({ status: 429 });
			}
		};
		const prs = await client.listPullRequests(REPO, { states: [...ALL_STATES] });
		expect(prs.map((p) => p.id)).toEqual(expectedIds());
		expect(retries.map((r) => r.reason)).toEqual(['rateLimit']);
		// Every request waits out the 300 ms with the limited one: once the layer has paused, only requests already
		// past the gate (at most the 3 other slots) arrive during the pause; without the shared pause, the other
		// 5 pages would all go out meanwhile. (Pages sent when the pause ends may reach the sandbox before the
		// retry does: they are not counted.)
		const limited = pageRequests().find((r) => r.status === 429)!;
		const retried = pageRequests().find((r) => r !== limited && r.query.page?.[0] === '5')!;
		const pausedAt = retries[0].at;
		expect(retried.arrivedAt - pausedAt).toBeGreaterThanOrEqual(290);
		const during = pageRequests().filter((r) => r.arrivedAt > pausedAt && r.arrivedAt < pausedAt + 290);
		expect(during.length).toBeLessThanOrEqual(3);
		expect(pageRequests()).toHaveLength(11);
	});

	it('counts a burst of 429s for requests already in flight as one storm: one retry, one pause', async () => {
		const { client, retries } = testClient(sandbox, { concurrency: 4, retry: { rateLimitDelayMs: 100 } });
		let armed = true;
		sandbox.onRequest = (request) => {
			// The first three pages fetched ahead all meet the limit.
			if (armed && request.query.page?.[0] === '2') {
				armed = false;
				sandbox.inject({ status: 429, pathPattern: PR_PATH }, 3);
			}
		};
		const prs = await client.listPullRequests(REPO, { states: [...ALL_STATES] });
		expect(prs).toHaveLength(TOTAL);
		expect(pageRequests().filter((r) => r.status === 429)).toHaveLength(3);
		expect(retries).toHaveLength(1);
	});

	it('halves the requests in flight once Bitbucket says the limit is near', async () => {
		const near = testClient(sandbox, { concurrency: 8 });
		sandbox.setRateLimit({ nearLimitAfter: 0 });
		expect(await near.client.listPullRequests(REPO, { states: [...ALL_STATES] })).toHaveLength(TOTAL);
		expect(sandbox.traffic.maxInFlight).toBe(4);
		expect(near.http.gate.concurrency).toBe(4);

		sandbox.reset();
		const calm = testClient(sandbox, { concurrency: 8 });
		expect(await calm.client.listPullRequests(REPO, { states: [...ALL_STATES] })).toHaveLength(TOTAL);
		expect(sandbox.traffic.maxInFlight).toBe(8);
	});
});
