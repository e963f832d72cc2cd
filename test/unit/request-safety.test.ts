/**
 * What testing from outside found in the client and request layer, each through the exported client over real
 * HTTP to the sandbox (and to a second loopback server that plays "another origin"):
 * identifiers that a URL parser would resolve away, Custom API Call paths that climb out of /2.0, untyped
 * pipeline variables, relative and protocol-relative `next` links, cross-origin redirects, secrets that reach a
 * URL in encoded form, half-braced UUIDs and a merge timeout that gave up early.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

import { BitbucketClient } from '../../lib';
import {
	BitbucketApiError,
	BitbucketInputError,
	BitbucketLinkError,
	BitbucketTimeoutError,
} from '../../nodes/shared/bitbucket/errors';
import type { PipelineVariable } from '../../nodes/shared/bitbucket/types';
import { secretForms } from '../../nodes/shared/redact';
import { REPO, testClient } from '../helpers/bitbucket';
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';

let sandbox: Sandbox;

/** "Another origin": counts what reaches it and whether a credential came along. */
let foreign: Server;
let foreignOrigin = '';
const foreignHits: Array<{ url: string; authorization?: string }> = [];

beforeAll(async () => {
	sandbox = await startSandbox();
	foreign = createServer((req: IncomingMessage, res) => {
		foreignHits.push({ url: req.url ?? '', authorization: req.headers.authorization });
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ values: [{ id: 666, stolen: true }] }));
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

async function rejection(promise: Promise<unknown>): Promise<Error> {
	const outcome = await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if ('value' in outcome) throw new Error(`Expected a rejection, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
	return outcome.error as Error;
}

async function inputError(promise: Promise<unknown>, field: string): Promise<BitbucketInputError> {
	const error = await rejection(promise);
	expect(error).toBeInstanceOf(BitbucketInputError);
	expect((error as BitbucketInputError).field).toBe(field);
	return error as BitbucketInputError;
}

describe('dot segments as identifiers', () => {
	const client = () => testClient(sandbox).client;

	it.each([
		['getBranch "."', () => client().getBranch(REPO, '.'), 'name'],
		['getBranch ".."', () => client().getBranch(REPO, '..'), 'name'],
		['getBranch "feat/./x"', () => client().getBranch(REPO, 'feat/./x'), 'name'],
		['deleteBranch "."', () => client().deleteBranch(REPO, '.'), 'name'],
		['deleteTag "."', () => client().deleteTag(REPO, '.'), 'name'],
		['deleteTag ".."', () => client().deleteTag(REPO, '..'), 'name'],
		['listCommits with revision "."', () => client().listCommits(REPO, { revision: '.' }), 'revision'],
		['listCommits with revision ".."', () => client().listCommits(REPO, { revision: '..' }), 'revision'],
		['createBranch named "."', () => client().createBranch(REPO, '.', { branch: 'develop' }), 'name'],
		['createBranch from ".."', () => client().createBranch(REPO, 'feat/x', { branch: '..' }), 'from.branch'],
	])('%s is refused, naming the argument, before any request', async (_what, call, field) => {
		const error = await inputError(call(), field);
		expect(error.message).toMatch(/not a valid Git ref name/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('still reaches real branches whose names contain dots and slashes', async () => {
		const { client: c } = testClient(sandbox);
		const created = await c.createBranch(REPO, 'release/v1.2.x', { branch: 'develop' });
		expect(created.name).toBe('release/v1.2.x');
		expect((await c.getBranch(REPO, 'release/v1.2.x')).name).toBe('release/v1.2.x');
		await c.deleteBranch(REPO, 'release/v1.2.x');
		expect(sandbox.requests.at(-1)?.path).toBe('/2.0/repositories/technocore_axion/axion/refs/branches/release%2Fv1.2.x');
	});
});

describe('Custom API Call paths', () => {
	it.each([
		'/../../admin',
		'/repositories/technocore_axion/axion/../../../user',
		'/repositories/technocore_axion/axion/./refs',
		'/%2e%2e/%2E%2E/admin',
		'/repositories/%2e%2e/x',
		'/repositories/.%2e/user',
	])('refuses %s with no request', async (path) => {
		const { client } = testClient(sandbox);
		const error = await inputError(client.call('GET', path), 'path');
		expect(error.message).toMatch(/"\." or "\.\." segment/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('refuses a protocol-relative path', async () => {
		const { client } = testClient(sandbox);
		await inputError(client.call('GET', '//evil.example/2.0/user'), 'path');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('keeps ordinary paths and their query strings working', async () => {
		const { client } = testClient(sandbox);
		const page = (await client.call('GET', '/repositories/technocore_axion/axion/refs/branches?pagelen=2')) as { values: unknown[] };
		expect(page.values).toHaveLength(2);
	});
});

describe('pipeline variables of the wrong type', () => {
	const target = { kind: 'branch', name: 'main' } as const;

	it.each([
		['an object', { KEY: 'x' }],
		['null', null],
		['a string', 'KEY=x'],
	])('variables given as %s: a typed error, no request', async (_what, variables) => {
		const { client } = testClient(sandbox);
		const error = await inputError(client.triggerPipeline(REPO, target, variables as unknown as PipelineVariable[]), 'variables');
		expect(error.message).toMatch(/Variables must be a list of \{key, value, secured\} objects/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('a value that is an object is named, not sent as "[object Object]"', async () => {
		const { client } = testClient(sandbox);
		const variables = [
			{ key: 'OK', value: 'fine' },
			{ key: 'CONFIG', value: { region: 'eu' } },
		] as unknown as PipelineVariable[];
		const error = await inputError(client.triggerPipeline(REPO, target, variables), 'variables');
		expect(error.message).toBe('Variable "CONFIG": the value must be text, a number or true/false, not an object');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('an entry that is not an object, and a "secured" that is not a boolean, are named too', async () => {
		const { client } = testClient(sandbox);
		await inputError(client.triggerPipeline(REPO, target, ['KEY'] as unknown as PipelineVariable[]), 'variables');
		const secured = await inputError(
			client.triggerPipeline(REPO, target, [{ key: 'TOKEN', value: 'x', secured: 'yes' }] as unknown as PipelineVariable[]),
			'variables',
		);
		expect(secured.message).toMatch(/Variable "TOKEN": "secured" must be true or false/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('numbers and booleans are sent as text', async () => {
		const { client } = testClient(sandbox);
		await client.triggerPipeline(REPO, target, [
			{ key: 'COUNT', value: 3 },
			{ key: 'DRY_RUN', value: false },
		] as unknown as PipelineVariable[]);
		const post = sandbox.requests.find((r) => r.method === 'POST')!;
		expect((post.body as { variables: unknown }).variables).toEqual([
			{ key: 'COUNT', value: '3', secured: false },
			{ key: 'DRY_RUN', value: 'false', secured: false },
		]);
	});
});

describe('next links', () => {
	let lure: Server;
	let lureBase = '';
	let nextLink = '';
	const lureHits: string[] = [];

	beforeAll(async () => {
		lure = createServer((req, res) => {
			lureHits.push(req.url ?? '');
			res.setHeader('content-type', 'application/json');
			const second = (req.url ?? '').includes('page=2');
			res.end(JSON.stringify(second ? { values: [{ id: 2 }] } : { values: [{ id: 1 }], next: nextLink }));
		});
		await new Promise<void>((resolve) => lure.listen(0, '127.0.0.1', resolve));
		lureBase = `http://127.0.0.1:${(lure.address() as AddressInfo).port}/2.0`;
	});
	afterAll(async () => await new Promise((resolve) => lure.close(resolve)));
	beforeEach(() => (lureHits.length = 0));

	it('a protocol-relative next to another host is refused like a foreign origin', async () => {
		nextLink = `//${foreignOrigin.slice('http://'.length)}/2.0/steal?page=2`;
		const { http } = testClient(sandbox, { baseUrl: lureBase });
		const error = await rejection(http.paginate('/repositories/x/y/pullrequests', { maxPageSize: 50 }));
		expect(error).toBeInstanceOf(BitbucketLinkError);
		expect(error.message).toMatch(/not on the configured base URL's origin/);
		expect(foreignHits).toHaveLength(0);
	});

	it('a relative next on the same origin is resolved against the page and followed', async () => {
		nextLink = '/2.0/repositories/x/y/pullrequests?page=2';
		const { http } = testClient(sandbox, { baseUrl: lureBase });
		const values = await http.paginate<{ id: number }>('/repositories/x/y/pullrequests', { maxPageSize: 50 });
		expect(values.map((v) => v.id)).toEqual([1, 2]);
		// The relative link is followed, with the first request's pagelen put back (the link left it out).
		expect(lureHits[1]).toBe('/2.0/repositories/x/y/pullrequests?page=2&pagelen=50');
	});

	it('a next that is not a URL is a typed error, not a TypeError', async () => {
		nextLink = 'http://[not-a-host';
		const { http } = testClient(sandbox, { baseUrl: lureBase });
		const error = await rejection(http.paginate('/repositories/x/y/pullrequests', { maxPageSize: 50 }));
		expect(error).toBeInstanceOf(BitbucketLinkError);
		expect(error.message).toMatch(/not a URL/);
	});
});

describe('redirects', () => {
	it('a cross-origin redirect is refused: nothing reaches the other server, no foreign body comes back as data', async () => {
		const { client } = testClient(sandbox);
		const [pr] = await client.listPullRequests(REPO, { limit: 1 });
		sandbox.clearRequests();
		sandbox.inject({ status: 302, location: `${foreignOrigin}/2.0/diffstat`, pathPattern: /diffstat$/ });
		const error = await rejection(client.getPullRequestDiffstat(REPO, pr.id));
		expect(error).toBeInstanceOf(BitbucketLinkError);
		expect(error.message).toMatch(new RegExp(`Refusing to follow a redirect to ${foreignOrigin}`));
		expect(foreignHits).toHaveLength(0);
	});

	it('a same-origin redirect is followed, as Bitbucket redirects diffs', async () => {
		const { client } = testClient(sandbox);
		const [pr] = await client.listPullRequests(REPO, { limit: 1 });
		const direct = await client.getPullRequestDiffstat(REPO, pr.id);
		sandbox.clearRequests();
		const target = `${sandbox.baseUrl}/repositories/${REPO.workspace}/${REPO.repo}/pullrequests/${pr.id}/diffstat?pagelen=5000`;
		sandbox.inject({ status: 302, location: target, pathPattern: /diffstat$/ });
		expect(await client.getPullRequestDiffstat(REPO, pr.id)).toEqual(direct);
		// Our redirect first, then the sandbox's own (it redirects diffstat as Bitbucket does), then the data.
		expect(sandbox.requests.map((r) => r.status)).toEqual([302, 302, 200]);
	});
});

describe('redaction of every form of a secret', () => {
	it('a secret that reached the URL is redacted in its percent-encoded form, in JSON and in inspect', async () => {
		// Real Atlassian tokens contain "=", "+" and "/"; this one is refused by the sandbox (401).
		const secret = 'ATATT3x/Ff+GF0=secretTokenValue9';
		const { client } = testClient(sandbox, { auth: { type: 'apiToken', email: 'dev@axion.test', apiToken: secret } });
		const error = (await rejection(client.getBranch(REPO, secret))) as BitbucketApiError;
		expect(error).toBeInstanceOf(BitbucketApiError);
		expect(sandbox.requests[0].path).toContain(encodeURIComponent(secret)); // it did travel in the URL
		const everything = [error.message, error.description, JSON.stringify(error), JSON.stringify(error.details), inspect(error, { depth: 5 })].join('\n');
		for (const form of secretForms(secret)) expect(everything).not.toContain(form);
		const basic = Buffer.from(`dev@axion.test:${secret}`);
		expect(everything).not.toContain(basic.toString('base64'));
		expect(everything).not.toContain(basic.toString('base64url'));
		expect(error.details.url).toContain('***');
	});

	it('knows the forms: plain, percent-encoded (both cases, + for space), base64 and URL-safe base64', () => {
		const forms = secretForms('a b/c+d?');
		expect(forms).toEqual(
			expect.arrayContaining([
				'a b/c+d?',
				'a%20b%2Fc%2Bd%3F',
				'a%20b%2fc%2bd%3f',
				'a+b%2Fc%2Bd%3F',
				Buffer.from('a b/c+d?').toString('base64'),
				Buffer.from('a b/c+d?').toString('base64url'),
			]),
		);
	});
});

describe('UUIDs', () => {
	const bare = '6f4f2b7e-0f6a-4f7c-9d2e-1a2b3c4d5e6f';

	it.each([`{${bare}`, `${bare}}`, `{{${bare}}}`])('half-braced %s is refused before any request', async (value) => {
		const { client } = testClient(sandbox);
		await inputError(client.getPipeline(REPO, value), 'pipelineUuid');
		expect(sandbox.requests).toHaveLength(0);
	});

	it.each([`{${bare}}`, bare, bare.toUpperCase()])('%s is accepted and sent braced', async (value) => {
		const { client } = testClient(sandbox);
		await rejection(client.getPipeline(REPO, value)); // no such pipeline: 404, but the request went out
		expect(sandbox.requests[0].path).toMatch(new RegExp(`/pipelines/%7B${bare}%7D$`));
	});
});

describe('a 202 merge that stays pending', () => {
	function fakeClock() {
		let now = 0;
		const sleeps: number[] = [];
		return {
			now: () => now,
			sleep: async (ms: number) => {
				sleeps.push(ms);
				now += ms;
			},
			sleeps,
		};
	}

	it('waits the whole Wait Timeout, polls once more at the deadline, and says how long it waited', async () => {
		sandbox.state.mergePendingPolls = 1_000;
		const clock = fakeClock();
		const { client } = testClient(sandbox, { sleep: clock.sleep, now: clock.now, client: { mergePollIntervalMs: 300 } });
		const prs = await client.listPullRequests(REPO, { states: ['OPEN'] });
		const asyncPr = prs.find((p) => p.id % 5 === 0)!;
		sandbox.clearRequests();
		const error = await rejection(client.mergePullRequest(REPO, asyncPr.id, {}, { timeoutMs: 700 }));
		expect(error).toBeInstanceOf(BitbucketTimeoutError);
		expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(700); // 300 + 300 + the last 100: not 600
		expect(sandbox.requests.filter((r) => /task-status/.test(r.path))).toHaveLength(4); // at 0, 300, 600 and 700 ms
		expect(error.message).toMatch(/still pending after 700 ms of polling \(Wait Timeout 700 ms\)/);
	});

	it('a task that completes on the poll at the deadline is a success, not a timeout', async () => {
		sandbox.state.mergePendingPolls = 3;
		const clock = fakeClock();
		const { client } = testClient(sandbox, { sleep: clock.sleep, now: clock.now, client: { mergePollIntervalMs: 300 } });
		const prs = await client.listPullRequests(REPO, { states: ['OPEN'] });
		const asyncPr = prs.find((p) => p.id % 5 === 0)!;
		const merged = await client.mergePullRequest(REPO, asyncPr.id, {}, { timeoutMs: 700 });
		expect(merged.state).toBe('MERGED');
	});
});

describe('the same class of mistake elsewhere: values of the wrong type', () => {
	it.each([
		['a query parameter that is an object', (c: BitbucketClient) => c.call('GET', '/repositories/technocore_axion', { query: { q: { name: 'x' } } as never }), 'query', /Query parameter "q" must be text, a number, true\/false or a list of those, not an object/],
		['a pull request title that is a number', (c: BitbucketClient) => c.createPullRequest(REPO, { title: 42 as never, sourceBranch: 'feat/user-export' }), 'title', /Title must be text, not a number/],
		['a comment that is an object', (c: BitbucketClient) => c.addPullRequestComment(REPO, 1, { raw: 'x' } as never), 'text', /Comment text must be text, not an object/],
		['webhook events given as one string', (c: BitbucketClient) => c.createWebhook({ workspace: REPO.workspace, repo: REPO.repo }, { url: 'https://hooks.example/x', events: 'repo:push' as never }), 'events', /Choose at least one event/],
		['a webhook event that is not an event key', (c: BitbucketClient) => c.createWebhook({ workspace: REPO.workspace, repo: REPO.repo }, { url: 'https://hooks.example/x', events: ['push'] }), 'events', /"push" is not a Bitbucket event key/],
	])('%s is a typed error naming the argument, with no request', async (_what, call, field, message) => {
		const error = await inputError(call(testClient(sandbox).client), field);
		expect(error.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('the script client as a whole', () => {
	it('BitbucketClient.withAuth (the package entry) refuses a cross-origin redirect the same way', async () => {
		const client = BitbucketClient.withAuth({ type: 'apiToken', email: 'dev@axion.test', apiToken: 'ATATT3xFfGF0sandboxDevFullScope5f1c2a9e' }, { baseUrl: sandbox.baseUrl });
		sandbox.inject({ status: 302, location: `${foreignOrigin}/2.0/user` });
		await expect(client.getCurrentUser()).rejects.toThrow(BitbucketLinkError);
		expect(foreignHits).toHaveLength(0);
	});
});
