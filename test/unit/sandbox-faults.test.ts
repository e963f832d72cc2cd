/** Fault injection, latency and reset of the Bitbucket sandbox, over real HTTP. */
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { authorizationFor, sandboxClient } from '../../dev/sandbox/testing';

const REPO = '/repositories/technocore_axion/axion';

let sandbox: Sandbox;
let call: ReturnType<typeof sandboxClient>['call'];

function prCount(): number {
	return sandbox.state.repo('technocore_axion', 'axion')?.pullRequests.length ?? -1;
}

const newPr = { title: 'Export users as CSV', source: { branch: { name: 'feat/user-export' } } };

beforeAll(async () => {
	sandbox = await startSandbox();
	({ call } = sandboxClient(sandbox.baseUrl));
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

describe('429 rate limiting', () => {
	it('answers text/plain without Retry-After by default, once', async () => {
		sandbox.inject({ status: 429 });
		const limited = await call('/user');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(limited.text).toBe('Rate limit for this resource has been exceeded');
		expect(limited.headers.get('retry-after')).toBeNull();
		expect((await call('/user')).status).toBe(200);
		expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200]);
	});

	it('sends the exact Retry-After value when asked, for the given number of requests', async () => {
		sandbox.inject({ status: 429, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' }, 2);
		const first = await call('/user');
		const second = await call('/user');
		expect([first.status, second.status]).toEqual([429, 429]);
		expect(second.headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
		expect((await call('/user')).status).toBe(200);
	});

	it('does not process the request it refuses', async () => {
		sandbox.inject({ status: 429, method: 'POST' });
		const before = prCount();
		expect((await call(`${REPO}/pullrequests`, { method: 'POST', body: newPr })).status).toBe(429);
		expect(prCount()).toBe(before);
	});
});

describe('fault matching', () => {
	it('is consumed only by requests matching its method and path pattern', async () => {
		sandbox.inject({ status: 503, method: 'GET', pathPattern: /\/pipelines$/ });
		expect((await call(`${REPO}/pipelines/`)).status).toBe(200);
		expect((await call(`${REPO}/pullrequests`)).status).toBe(200);
		expect((await call(`${REPO}/pipelines`, { method: 'POST', body: {} })).status).toBe(400);
		const hit = await call(`${REPO}/pipelines`);
		expect(hit.status).toBe(503);
		expect(hit.json).toEqual({ type: 'error', error: { message: 'Service Unavailable' } });
		expect((await call(`${REPO}/pipelines`)).status).toBe(200);
	});

	it('serves custom bodies and content types, e.g. an HTML 502 from a proxy', async () => {
		sandbox.inject({ status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' });
		const reply = await call('/user');
		expect(reply.status).toBe(502);
		expect(reply.headers.get('content-type')).toBe('text/html');
		expect(reply.text).toBe('<html>Bad gateway</html>');
	});

	it('can be cleared', async () => {
		sandbox.inject({ status: 500 }, 5);
		sandbox.clearFaults();
		expect((await call('/user')).status).toBe(200);
	});
});

describe('5xx and dropped connections on writes', () => {
	it('by default answers 5xx without creating anything', async () => {
		sandbox.inject({ status: 500, method: 'POST' });
		const before = prCount();
		const reply = await call(`${REPO}/pullrequests`, { method: 'POST', body: newPr });
		expect(reply.status).toBe(500);
		expect(reply.json['type']).toBe('error');
		expect(prCount()).toBe(before);
	});

	it('with afterProcessing creates the pull request, then answers 500', async () => {
		sandbox.inject({ status: 500, method: 'POST', pathPattern: /\/pullrequests$/, afterProcessing: true });
		const before = prCount();
		const reply = await call(`${REPO}/pullrequests`, { method: 'POST', body: newPr });
		expect(reply.status).toBe(500);
		expect(prCount()).toBe(before + 1);
		const created = sandbox.state.repo('technocore_axion', 'axion')?.pullRequests.at(-1);
		expect(created).toMatchObject({ title: 'Export users as CSV', state: 'OPEN' });
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', status: 500, authKind: 'apiToken' });
	});

	it('drops the connection without answering, optionally after processing', async () => {
		sandbox.inject({ status: 0, drop: true, method: 'POST', afterProcessing: true });
		const before = prCount();
		await expect(
			fetch(`${sandbox.baseUrl}${REPO}/pullrequests`, {
				method: 'POST',
				headers: { authorization: authorizationFor('apiToken'), 'content-type': 'application/json' },
				body: JSON.stringify(newPr),
			}),
		).rejects.toThrow();
		expect(prCount()).toBe(before + 1);
		expect(sandbox.requests[0].status).toBe(0);

		sandbox.inject({ status: 0, drop: true });
		await expect(fetch(`${sandbox.baseUrl}/user`, { headers: { authorization: authorizationFor('apiToken') } })).rejects.toThrow();
		expect((await call('/user')).status).toBe(200);
	});
});

describe('latency and reset', () => {
	it('adds latency before every API response', async () => {
		sandbox.setLatency(80);
		const started = Date.now();
		expect((await call('/user')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(75);
		sandbox.reset();
		const again = Date.now();
		await call('/user');
		expect(Date.now() - again).toBeLessThan(75);
	});

	it('reseeds the data and clears requests and faults', async () => {
		expect((await call(`${REPO}/pullrequests`, { method: 'POST', body: newPr })).status).toBe(201);
		sandbox.inject({ status: 500 });
		expect(prCount()).toBe(121);
		sandbox.reset();
		expect(prCount()).toBe(120);
		expect(sandbox.requests).toHaveLength(0);
		expect((await call('/user')).status).toBe(200);
	});

	it('seeds the same data on every start, sized by the seed options', async () => {
		const seed = { pullRequests: 7, commits: 30, pipelines: 3, issues: 2, repositories: 1 };
		const [a, b] = await Promise.all([startSandbox({ seed }), startSandbox({ seed })]);
		try {
			const fingerprint = (sb: Sandbox): unknown => {
				const repo = sb.state.repo('technocore_axion', 'axion');
				return {
					prs: repo?.pullRequests.map((p) => [p.id, p.title, p.state, p.source.commit.hash, p.created_on, p.updated_on]),
					commits: repo?.commits.map((c) => [c.hash, c.date, c.parents]),
					pipelines: repo?.pipelines.map((p) => [p.uuid, p.state]),
					repos: sb.state.repositories.map((r) => r.full_name),
				};
			};
			expect(fingerprint(a)).toEqual(fingerprint(b));
			const repo = a.state.repo('technocore_axion', 'axion');
			expect(repo?.pullRequests).toHaveLength(7);
			expect(repo?.commits).toHaveLength(30);
			expect(repo?.pipelines).toHaveLength(3);
			expect(repo?.issues).toHaveLength(2);
			expect(a.state.repositories.filter((r) => r.workspace.slug === 'technocore_axion').map((r) => r.slug)).toEqual(['axion', 'no-tracker', 'axion-web']);
			expect(repo?.pullRequests[0].created_on).toMatch(/^2026-01-\d\dT/);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});
});
