/**
 * The request layer and client against the Bitbucket sandbox over real HTTP: pagination, limits, cursors,
 * 429 handling, safe retries, error mapping, redaction and path encoding.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	BitbucketApiError,
	BitbucketInputError,
	BitbucketNetworkError,
	BitbucketPaginationError,
} from '../../nodes/shared/bitbucket/errors';
import type { PullRequestState } from '../../nodes/shared/bitbucket/types';
import { REPO, apiTokenAuth, testClient } from '../helpers/bitbucket';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../dev/sandbox/server';

const ALL_STATES: PullRequestState[] = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];
const PR_PATH = /\/pullrequests$/;
const COMMITS_PATH = /\/commits$/;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { pullRequests: 120, commits: 260 } });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function prCount(): number {
	return sandbox.state.repo(REPO.workspace, REPO.repo)!.pullRequests.length;
}

function requestsTo(pattern: RegExp) {
	return sandbox.requests.filter((r) => pattern.test(r.path));
}

describe('pagination', () => {
	it('walks every pull request with pagelen 50, the most Bitbucket accepts for PR lists', async () => {
		const { client } = testClient(sandbox);
		const prs = await client.listPullRequests(REPO, { states: ALL_STATES });
		expect(prs).toHaveLength(120);
		expect(new Set(prs.map((p) => p.id)).size).toBe(120);
		const calls = requestsTo(PR_PATH);
		expect(calls).toHaveLength(3); // ceil(120 / 50)
		expect(calls[0].query.pagelen).toEqual(['50']);
		expect(calls.every((c) => c.status === 200)).toBe(true);
	});

	it('sizes the first page to the limit and never asks for a page it does not need', async () => {
		const { client } = testClient(sandbox);
		expect(await client.listPullRequests(REPO, { states: ALL_STATES, limit: 7 })).toHaveLength(7);
		expect(requestsTo(PR_PATH)).toHaveLength(1);
		expect(requestsTo(PR_PATH)[0].query.pagelen).toEqual(['7']);

		sandbox.clearRequests();
		expect(await client.listPullRequests(REPO, { states: ALL_STATES, limit: 50 })).toHaveLength(50);
		expect(requestsTo(PR_PATH)).toHaveLength(1);

		sandbox.clearRequests();
		const prs = await client.listPullRequests(REPO, { states: ALL_STATES, limit: 51 });
		expect(prs).toHaveLength(51);
		expect(requestsTo(PR_PATH)).toHaveLength(2);
	});

	it('follows commit hash cursors as opaque next links', async () => {
		const { client } = testClient(sandbox);
		const commits = await client.listCommits(REPO);
		expect(commits).toHaveLength(260);
		expect(new Set(commits.map((c) => c.hash)).size).toBe(260);
		const calls = requestsTo(COMMITS_PATH);
		expect(calls).toHaveLength(3); // ceil(260 / 100)
		// Every page after the first carries the sandbox's own cursor, never a computed page number.
		for (const call of calls.slice(1)) {
			expect(call.query.page).toHaveLength(1);
			expect(call.query.page[0]).not.toMatch(/^\d+$/);
		}

		sandbox.clearRequests();
		expect(await client.listCommits(REPO, { limit: 150 })).toHaveLength(150);
		expect(requestsTo(COMMITS_PATH)).toHaveLength(2);
	});

	it('keeps next in a fields selection, so Simplify does not stop after one page', async () => {
		const { client } = testClient(sandbox);
		const prs = await client.listPullRequests(REPO, { states: ALL_STATES, fields: 'values.id,values.title' });
		expect(prs).toHaveLength(120);
		expect(Object.keys(prs[0]).sort()).toEqual(['id', 'title']);
		expect(requestsTo(PR_PATH)[0].query.fields).toEqual(['values.id,values.title,next,size,page']);
	});

	it('says so when maxPages stops the walk instead of truncating silently', async () => {
		const { client } = testClient(sandbox);
		const walk = client.listPullRequests(REPO, { states: ALL_STATES, maxPages: 2 });
		await expect(walk).rejects.toThrow(BitbucketPaginationError);
		await expect(client.listPullRequests(REPO, { states: ALL_STATES, maxPages: 2 })).rejects.toThrow(/Max Pages is 2/);
		expect(requestsTo(PR_PATH)).toHaveLength(4); // two walks, two pages each, no third page
		// With enough pages allowed, the guard stays silent.
		expect(await client.listPullRequests(REPO, { states: ALL_STATES, maxPages: 3 })).toHaveLength(120);
	});

	it('keeps sort and fields on every page, although the pipelines list drops them from its next links', async () => {
		const { http } = testClient(sandbox);
		const pipelines = await http.paginate<{ build_number: number }>(`/repositories/${REPO.workspace}/${REPO.repo}/pipelines`, {
			maxPageSize: 10,
			query: { sort: '-created_on', fields: 'values.uuid,values.build_number' },
		});
		expect(pipelines).toHaveLength(sandbox.state.repo(REPO.workspace, REPO.repo)!.pipelines.length);
		const numbers = pipelines.map((p) => p.build_number);
		// Newest first on every page, and only the asked fields: a page without them would break both.
		expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
		expect(pipelines.every((p) => Object.keys(p).sort().join() === 'build_number,uuid')).toBe(true);
		const calls = requestsTo(/\/pipelines$/);
		expect(calls.length).toBeGreaterThan(1);
		for (const call of calls) expect(call.query).toMatchObject({ sort: ['-created_on'], fields: ['values.uuid,values.build_number,next,size,page'], pagelen: ['10'] });
	});

	it('rejects a limit below 1 before any request', async () => {
		const { client } = testClient(sandbox);
		await expect(client.listPullRequests(REPO, { limit: 0 })).rejects.toThrow(BitbucketInputError);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('a next link on another origin', () => {
	let foreign: Server;
	let foreignHits = 0;
	let lure: Server;
	let lureUrl = '';

	beforeAll(async () => {
		foreign = createServer((_req, res) => {
			foreignHits++;
			res.end('{"values":[]}');
		});
		await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
		const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/2.0/steal`;
		// A Bitbucket-like server whose first page points its next link at another origin.
		lure = createServer((_req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ values: [{ id: 1 }], next: foreignUrl }));
		});
		await new Promise<void>((r) => lure.listen(0, '127.0.0.1', r));
		lureUrl = `http://127.0.0.1:${(lure.address() as AddressInfo).port}/2.0`;
	});
	afterAll(async () => {
		await new Promise((r) => foreign.close(r));
		await new Promise((r) => lure.close(r));
	});

	it('is refused and never receives the credentials', async () => {
		const { http } = testClient(sandbox, { baseUrl: lureUrl });
		await expect(http.paginate('/repositories/x/y/pullrequests', { maxPageSize: 50 })).rejects.toThrow(
			/not on the configured base URL's origin/,
		);
		expect(foreignHits).toBe(0);
	});
});

describe('HTTP 429', () => {
	it('backs off exponentially when Bitbucket sends no Retry-After, then succeeds', async () => {
		const { client, retries } = testClient(sandbox, { retry: { rateLimitDelayMs: 10 } });
		sandbox.inject({ status: 429, pathPattern: /\/repositories\/technocore_axion\/axion$/ }, 2);
		const repo = await client.getRepo(REPO);
		expect(repo.full_name).toBe('technocore_axion/axion');
		expect(retries.map((r) => [r.reason, r.waitMs, r.retryAfter])).toEqual([
			['rateLimit', 10, false],
			['rateLimit', 20, false],
		]);
		expect(sandbox.requests.map((r) => r.status)).toEqual([429, 429, 200]);
	});

	it('waits what Retry-After says, in seconds or as an HTTP date', async () => {
		const waits: number[] = [];
		const sleep = async (ms: number) => {
			waits.push(ms);
		};
		const { client } = testClient(sandbox, { sleep });
		sandbox.inject({ status: 429, retryAfter: '2' });
		sandbox.inject({ status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
		await client.getRepo(REPO);
		expect(waits[0]).toBe(2000);
		expect(waits[1]).toBeGreaterThan(25_000);
		expect(waits[1]).toBeLessThanOrEqual(30_000);
	});

	it('gives up after the configured retries with a clear error', async () => {
		const { client } = testClient(sandbox, { retry: { maxRetries: 3 } });
		sandbox.inject({ status: 429 }, 10);
		const error = (await client.getRepo(REPO).catch((e: unknown) => e)) as BitbucketApiError;
		expect(error).toBeInstanceOf(BitbucketApiError);
		expect(error.status).toBe(429);
		expect(error.message).toMatch(/Rate limit for this resource has been exceeded/);
		expect(error.message).toMatch(/gave up after 4 attempts/);
		expect(sandbox.requests).toHaveLength(4);
	});

	it('refuses to wait past the total wait bound', async () => {
		const { client } = testClient(sandbox, { retry: { rateLimitDelayMs: 40, maxTotalWaitMs: 100 } });
		sandbox.inject({ status: 429 }, 10);
		await expect(client.getRepo(REPO)).rejects.toThrow(/would exceed the total wait limit/);
		expect(sandbox.requests).toHaveLength(2); // waited 40; another 80 would make 120 > 100: no third request
	});

	it('retries a POST too: a 429 means Bitbucket did not process it', async () => {
		const { client } = testClient(sandbox);
		const before = prCount();
		sandbox.inject({ status: 429, method: 'POST' });
		const pr = await client.createPullRequest(REPO, { title: 'Rate limited once', sourceBranch: 'feat/user-export', destinationBranch: 'develop' });
		expect(pr.title).toBe('Rate limited once');
		expect(prCount()).toBe(before + 1);
	});
});

describe('server errors and dropped connections', () => {
	it('retries a GET after 5xx and 555', async () => {
		const { client, retries } = testClient(sandbox);
		sandbox.inject({ status: 503 });
		sandbox.inject({ status: 555 });
		expect((await client.getRepo(REPO)).name).toBeTruthy();
		expect(retries.map((r) => r.status)).toEqual([503, 555]);
	});

	it('retries a GET whose connection dropped', async () => {
		const { client, retries } = testClient(sandbox);
		sandbox.inject({ status: 0, drop: true });
		expect((await client.getRepo(REPO)).name).toBeTruthy();
		expect(retries.map((r) => r.reason)).toEqual(['network']);
	});

	it('never replays a POST after a 5xx: the pull request exists once', async () => {
		const { client } = testClient(sandbox);
		const before = prCount();
		sandbox.inject({ status: 500, method: 'POST', afterProcessing: true });
		const error = await client
			.createPullRequest(REPO, { title: 'Created but answered 500', sourceBranch: 'feat/user-export' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BitbucketApiError);
		expect((error as Error).message).toMatch(/not retried because Bitbucket may have processed it/);
		expect(sandbox.requestCount({ method: 'POST' })).toBe(1);
		expect(prCount()).toBe(before + 1);
	});

	it('never replays a POST after a dropped connection', async () => {
		const { client } = testClient(sandbox);
		const before = prCount();
		sandbox.inject({ status: 0, drop: true, method: 'POST', afterProcessing: true });
		const error = await client
			.createPullRequest(REPO, { title: 'Created, then the line dropped', sourceBranch: 'feat/user-export' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BitbucketNetworkError);
		expect(sandbox.requestCount({ method: 'POST' })).toBe(1);
		expect(prCount()).toBe(before + 1);
	});

	it('fails after the retries run out, saying how many attempts were made', async () => {
		const { client } = testClient(sandbox, { retry: { maxRetries: 2 } });
		sandbox.inject({ status: 502 }, 5);
		await expect(client.getRepo(REPO)).rejects.toThrow(/Bitbucket 502.*after 3 attempts/);
	});
});

describe('errors', () => {
	it("turns Bitbucket's error body into message, detail and field errors", async () => {
		const { client } = testClient(sandbox);
		const missing = (await client.getRepo({ workspace: 'technocore_axion', repo: 'does-not-exist' }).catch((e: unknown) => e)) as BitbucketApiError;
		expect(missing).toBeInstanceOf(BitbucketApiError);
		expect(missing.status).toBe(404);
		expect(missing.message).toMatch(/^Bitbucket 404: /);

		sandbox.inject({
			status: 400,
			contentType: 'application/json',
			body: JSON.stringify({ type: 'error', error: { message: 'Bad request', detail: 'Invalid title', fields: { title: ['This field is required.'] } } }),
		});
		const invalid = (await client.getRepo(REPO).catch((e: unknown) => e)) as BitbucketApiError;
		expect(invalid.detail).toBe('Invalid title');
		expect(invalid.fields).toEqual({ title: ['This field is required.'] });
		expect(invalid.description).toContain('title: This field is required.');
	});

	it('reads a proxy HTML page as its title', async () => {
		const { client } = testClient(sandbox, { retry: { maxRetries: 0 } });
		sandbox.inject({ status: 502, contentType: 'text/html', body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' });
		await expect(client.getRepo(REPO)).rejects.toThrow('Bitbucket 502: Non-JSON response: 502 Bad Gateway');
	});

	it('never shows a secret, even when Bitbucket echoes it', async () => {
		const { client } = testClient(sandbox);
		const token = SANDBOX_CREDENTIALS.apiToken.token;
		const basic = Buffer.from(`${apiTokenAuth.type === 'apiToken' ? apiTokenAuth.email : ''}:${token}`).toString('base64');
		sandbox.inject({
			status: 401,
			contentType: 'application/json',
			body: JSON.stringify({ type: 'error', error: { message: `Token ${token} is invalid`, detail: `Authorization: Basic ${basic}`, fields: { token: [token] } } }),
		});
		const error = (await client.getRepo(REPO).catch((e: unknown) => e)) as BitbucketApiError;
		const everything = [error.message, error.description, JSON.stringify(error), JSON.stringify(error.details), String(error.stack)].join('\n');
		expect(everything).not.toContain(token);
		expect(everything).not.toContain(basic);
		expect(error.message).toContain('Token *** is invalid');
	});

	it('explains a missing issue tracker instead of a bare 404', async () => {
		const { client } = testClient(sandbox);
		await expect(client.listIssues({ workspace: REPO.workspace, repo: 'no-tracker' })).rejects.toThrow(
			/issue tracker is not enabled for this repository \(Bitbucket is retiring it\)/,
		);
	});
});

describe('paths and identifiers', () => {
	it('encodes branch names with slashes as one segment', async () => {
		const { client } = testClient(sandbox);
		const branch = await client.getBranch(REPO, 'feat/user-export');
		expect(branch.name).toBe('feat/user-export');
		expect(sandbox.requests[0].path).toBe('/2.0/repositories/technocore_axion/axion/refs/branches/feat%2Fuser-export');
	});

	it('encodes {uuid} identifiers', async () => {
		const { client } = testClient(sandbox);
		const [pipeline] = await client.listPipelines(REPO, { limit: 1 });
		sandbox.clearRequests();
		const same = await client.getPipeline(REPO, pipeline.uuid);
		expect(same.uuid).toBe(pipeline.uuid);
		expect(sandbox.requests[0].path).toMatch(/\/pipelines\/%7B[0-9a-f-]+%7D$/);
	});

	it.each([
		['an empty workspace', () => testClient(sandbox).client.getRepo({ workspace: ' ', repo: 'axion' }), 'workspace'],
		['a slug with a slash', () => testClient(sandbox).client.getRepo({ workspace: 'a/b', repo: 'axion' }), 'workspace'],
		['a non-numeric pull request id', () => testClient(sandbox).client.getPullRequest(REPO, 'abc'), 'id'],
		['a branch name with a space', () => testClient(sandbox).client.getBranch(REPO, 'my branch'), 'name'],
		['a malformed commit hash', () => testClient(sandbox).client.getCommit(REPO, 'xyz'), 'hash'],
		['a pipeline uuid that is not one', () => testClient(sandbox).client.getPipeline(REPO, '12'), 'pipelineUuid'],
	])('rejects %s before any request, naming the argument', async (_what, call, field) => {
		const error = await call().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BitbucketInputError);
		expect((error as BitbucketInputError).field).toBe(field);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('endpoint quirks', () => {
	it('approves with no body and no JSON content type', async () => {
		const { client } = testClient(sandbox);
		const [open] = await client.listPullRequests(REPO, { limit: 1 });
		sandbox.clearRequests();
		await client.approvePullRequest(REPO, open.id);
		const call = sandbox.requests[0];
		expect(call.method).toBe('POST');
		expect(call.rawBody).toBe('');
		expect(call.headers['content-type']).toBeUndefined();
		expect(call.status).toBe(200);
	});

	it('waits for a 202 merge task to finish', async () => {
		const { client } = testClient(sandbox);
		const prs = await client.listPullRequests(REPO, { states: ['OPEN'] });
		const asyncPr = prs.find((p) => p.id % 5 === 0);
		expect(asyncPr).toBeDefined();
		sandbox.clearRequests();
		const merged = await client.mergePullRequest(REPO, asyncPr!.id, { strategy: 'squash', message: 'Merge it' });
		expect(merged.state).toBe('MERGED');
		const statuses = sandbox.requests.map((r) => `${r.method} ${r.status}`);
		expect(statuses[0]).toBe('POST 202');
		expect(sandbox.requests.filter((r) => /task-status/.test(r.path)).length).toBeGreaterThanOrEqual(2);
	});

	it('merges synchronously when Bitbucket answers 200', async () => {
		const { client } = testClient(sandbox);
		const prs = await client.listPullRequests(REPO, { states: ['OPEN'] });
		const syncPr = prs.find((p) => p.id % 5 !== 0)!;
		const merged = await client.mergePullRequest(REPO, syncPr.id);
		expect(merged.state).toBe('MERGED');
	});

	it('uses /user/workspaces, not the retired /workspaces', async () => {
		const { client } = testClient(sandbox);
		const workspaces = await client.listWorkspaces();
		expect(workspaces.map((w) => w.workspace.slug)).toContain('technocore_axion');
		expect(sandbox.requests[0].path).toBe('/2.0/user/workspaces');
	});
});
