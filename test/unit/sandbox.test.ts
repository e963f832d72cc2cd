/**
 * The Bitbucket sandbox itself, over real HTTP: auth, envelopes, cursors, page-size limits, partial responses,
 * BBQL, raw-path decoding, the request log and the control endpoints.
 */
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { sandboxClient, type JsonObject, type SandboxReply } from '../../dev/sandbox/testing';

type Json = JsonObject;
type Reply = SandboxReply;

const REPO = '/repositories/technocore_axion/axion';

let sandbox: Sandbox;
let call: ReturnType<typeof sandboxClient>['call'];
let walk: ReturnType<typeof sandboxClient>['walk'];

function values(reply: Reply): Json[] {
	return reply.json['values'] as Json[];
}

function errorOf(reply: Reply): { message: string; detail?: unknown; fields?: Record<string, string[]> } {
	expect(reply.json['type']).toBe('error');
	return reply.json['error'] as { message: string; detail?: unknown; fields?: Record<string, string[]> };
}

beforeAll(async () => {
	sandbox = await startSandbox();
	({ call, walk } = sandboxClient(sandbox.baseUrl));
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

describe('server basics', () => {
	it('listens on loopback and serves the API under /2.0', () => {
		expect(sandbox.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sandbox.baseUrl).toBe(`${sandbox.origin}/2.0`);
	});

	it('answers unknown API paths with a 404 error envelope and wrong methods with 405', async () => {
		const missing = await call('/repositories/technocore_axion/axion/nothing-here');
		expect(missing.status).toBe(404);
		expect(errorOf(missing).message).toBe('Resource not found');
		const wrongMethod = await call('/user', { method: 'DELETE' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('GET');
	});
});

describe('authentication', () => {
	it('answers 401 with an error envelope when no credentials are sent', async () => {
		const reply = await call('/user', { auth: null });
		expect(reply.status).toBe(401);
		expect(reply.headers.get('content-type')).toMatch(/application\/json/);
		expect(errorOf(reply).message).toEqual(expect.any(String));
		expect(reply.headers.get('www-authenticate')).toMatch(/^Basic/);
	});

	it('answers 401 to a wrong token and to an API token sent with a username instead of the email', async () => {
		const wrong = await call('/user', { auth: null, headers: { authorization: `Basic ${Buffer.from('dev@axion.test:nope').toString('base64')}` } });
		expect(wrong.status).toBe(401);
		const token = SANDBOX_CREDENTIALS.apiToken.token;
		const nickname = await call('/user', { auth: null, headers: { authorization: `Basic ${Buffer.from(`axion-dev:${token}`).toString('base64')}` } });
		expect(nickname.status).toBe(401);
		expect(String(errorOf(nickname).detail)).toMatch(/email/);
		const bearerApiToken = await call('/user', { auth: null, headers: { authorization: `Bearer ${token}` } });
		expect(bearerApiToken.status).toBe(401);
		expect(errorOf(bearerApiToken).message).toBe('Token is invalid, expired, or not supported for this endpoint.');
	});

	it('lets API tokens and OAuth 2.0 tokens call /user', async () => {
		for (const kind of ['apiToken', 'oauth2'] as const) {
			const reply = await call('/user', { auth: kind });
			expect(reply.status).toBe(200);
			expect(reply.json).toMatchObject({ type: 'user', nickname: 'axion-dev', display_name: 'Axion Developer' });
			expect(String(reply.json['uuid'])).toMatch(/^\{[0-9a-f-]{36}\}$/);
		}
	});

	it('refuses a repository access token on /user but accepts it on its own repository only', async () => {
		const user = await call('/user', { auth: 'accessToken' });
		expect(user.status).toBe(401);
		expect(errorOf(user).message).toBe('Token is invalid, expired, or not supported for this endpoint.');
		const own = await call(REPO, { auth: 'accessToken' });
		expect(own.status).toBe(200);
		expect(own.json['full_name']).toBe('technocore_axion/axion');
		const other = await call('/repositories/technocore_axion/no-tracker', { auth: 'accessToken' });
		expect(other.status).toBe(403);
		const otherWorkspace = await call('/repositories/axion-labs/playground/pullrequests', { auth: 'accessToken' });
		expect(otherWorkspace.status).toBe(403);
		const list = await call('/repositories/technocore_axion', { auth: 'accessToken' });
		expect(values(list).map((r) => r['slug'])).toEqual(['axion']);
		expect(own.headers.get('x-ratelimit-limit')).not.toBeNull();
	});

	it('answers 403 with granted and required scopes when a read-only token writes', async () => {
		const read = await call(`${REPO}/pullrequests`, { auth: 'readOnlyApiToken' });
		expect(read.status).toBe(200);
		const write = await call(`${REPO}/pullrequests`, {
			method: 'POST',
			auth: 'readOnlyApiToken',
			body: { title: 'x', source: { branch: { name: 'develop' } } },
		});
		expect(write.status).toBe(403);
		const error = errorOf(write);
		expect(error.message).toBe('Your credentials lack one or more required privilege scopes.');
		const detail = error.detail as { granted: string[]; required: string[] };
		expect(detail.required).toContain('write:pullrequest:bitbucket');
		expect(detail.granted).toContain('read:pullrequest:bitbucket');
		expect(detail.granted).not.toContain('write:pullrequest:bitbucket');
		expect(sandbox.state.repo('technocore_axion', 'axion')?.pullRequests).toHaveLength(120);
		const deleteBranch = await call(`${REPO}/refs/branches/develop`, { method: 'DELETE', auth: 'readOnlyApiToken' });
		expect(deleteBranch.status).toBe(403);
	});

	it('answers 401 to app passwords unless they are re-enabled', async () => {
		const refused = await call('/user', { auth: 'appPassword' });
		expect(refused.status).toBe(401);
		expect(errorOf(refused).message).toMatch(/app passwords are no longer supported/i);
		sandbox.setAppPasswordsEnabled(true);
		const accepted = await call('/user', { auth: 'appPassword' });
		expect(accepted.status).toBe(200);
		expect(accepted.json['nickname']).toBe('axion-bot');
		expect(sandbox.requests.map((r) => r.authKind)).toEqual(['appPassword', 'appPassword']);
	});
});

describe('pagination', () => {
	it('wraps page-numbered collections in the envelope with size, page and an absolute next link to page 2', async () => {
		const reply = await call(`${REPO}/pullrequests`);
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ pagelen: 10, page: 1, size: 54 });
		expect(values(reply)).toHaveLength(10);
		expect(reply.json['previous']).toBeUndefined();
		const next = new URL(String(reply.json['next']));
		expect(next.origin).toBe(sandbox.origin);
		expect(next.pathname).toBe('/2.0/repositories/technocore_axion/axion/pullrequests');
		expect(next.searchParams.get('page')).toBe('2');
	});

	it('pages filtered branch lists and pull-request activity with an opaque cursor and no page number', async () => {
		const filtered = await call(`${REPO}/refs/branches?pagelen=2&q=${encodeURIComponent('name ~ "feature"')}`);
		expect(filtered.status).toBe(200);
		expect(filtered.json['page']).toBeUndefined();
		const cursor = new URL(String(filtered.json['next'])).searchParams.get('page') ?? '';
		expect(cursor).not.toMatch(/^\d+$/);
		expect(cursor.length).toBeGreaterThan(8);
		const plain = await call(`${REPO}/refs/branches?pagelen=2`);
		expect(plain.json['page']).toBe(1);
		expect(new URL(String(plain.json['next'])).searchParams.get('page')).toBe('2');
	});

	it('walks every OPEN pull request exactly once, carrying q, sort, state and pagelen, with no next on the last page', async () => {
		const path = `${REPO}/pullrequests?state=OPEN&state=MERGED&pagelen=25&sort=-id&q=${encodeURIComponent('id > 10')}`;
		const { items, pages } = await walk(path);
		const repo = sandbox.state.repo('technocore_axion', 'axion');
		const expected = (repo?.pullRequests ?? []).filter((p) => (p.state === 'OPEN' || p.state === 'MERGED') && p.id > 10).map((p) => p.id).sort((a, b) => b - a);
		expect(items.map((p) => p['id'])).toEqual(expected);
		expect(pages.length).toBe(Math.ceil(expected.length / 25));
		for (const page of pages.slice(0, -1)) {
			const next = new URL(String(page.json['next']));
			expect(next.searchParams.getAll('state')).toEqual(['OPEN', 'MERGED']);
			expect(next.searchParams.get('q')).toBe('id > 10');
			expect(next.searchParams.get('sort')).toBe('-id');
			expect(next.searchParams.get('pagelen')).toBe('25');
		}
		expect(pages[pages.length - 1].json['next']).toBeUndefined();
		expect(pages[1].json['previous']).toEqual(expect.stringContaining(sandbox.origin));
	});

	it('answers 400 Invalid page past the end, for a page that is not a number, and for a forged cursor', async () => {
		// 54 pull requests in pages of 10: page 6 is the last.
		expect((await call(`${REPO}/pullrequests?page=6`)).status).toBe(200);
		for (const page of ['7', '0', 'abc', '-1']) {
			const answer = await call(`${REPO}/pullrequests?page=${page}`);
			expect([page, answer.status, errorOf(answer).message]).toEqual([page, 400, 'Invalid page']);
		}
		// An empty collection still has a page 1.
		expect((await call(`${REPO}/pullrequests?page=1&q=${encodeURIComponent('id > 100000')}`)).status).toBe(200);
		const first = await call(`${REPO}/refs/branches?pagelen=2&q=${encodeURIComponent('name ~ "feature"')}`);
		const cursor = new URL(String(first.json['next'])).searchParams.get('page') ?? '';
		const forged = Buffer.from(Buffer.from(cursor, 'base64url').toString().replace(/^\d+/, '20')).toString('base64url');
		const tampered = await call(`${REPO}/refs/branches?pagelen=2&q=${encodeURIComponent('name ~ "feature"')}&page=${forged}`);
		expect(tampered.status).toBe(400);
	});

	it('limits pull-request pages to 50 and other collections to 100', async () => {
		expect((await call(`${REPO}/pullrequests?pagelen=50`)).status).toBe(200);
		const tooBig = await call(`${REPO}/pullrequests?pagelen=51`);
		expect(tooBig.status).toBe(400);
		expect(errorOf(tooBig).message).toBe('Invalid pagelen');
		expect((await call('/repositories/technocore_axion?pagelen=100')).status).toBe(200);
		expect((await call('/repositories/technocore_axion?pagelen=101')).status).toBe(400);
		expect((await call(`${REPO}/pipelines?pagelen=101`)).status).toBe(400);
		expect((await call(`${REPO}/refs/branches?pagelen=0`)).status).toBe(400);
	});

	it('pages commits with a hash cursor and no size', async () => {
		const first = await call(`${REPO}/commits?pagelen=100`);
		expect(first.json['size']).toBeUndefined();
		expect(first.json['page']).toBeUndefined();
		expect(new URL(String(first.json['next'])).searchParams.get('page')).toMatch(/^[0-9a-f]{40}$/);
		const { items } = await walk(`${REPO}/commits?pagelen=100`);
		const hashes = items.map((c) => c['hash']);
		expect(new Set(hashes).size).toBe(260);
		expect(hashes).toEqual(sandbox.state.repo('technocore_axion', 'axion')?.commits.map((c) => c.hash));
		expect((await call(`${REPO}/commits?page=2`)).status).toBe(400);
	});
});

describe('partial responses (fields)', () => {
	it('keeps only the selected fields, and drops next when it is not selected', async () => {
		const withoutNext = await call(`${REPO}/pullrequests?fields=values.id,values.title`);
		expect(Object.keys(withoutNext.json)).toEqual(['values']);
		expect(values(withoutNext)).toHaveLength(10);
		for (const pr of values(withoutNext)) expect(Object.keys(pr).sort()).toEqual(['id', 'title']);
		const withNext = await call(`${REPO}/pullrequests?fields=next,values.id`);
		expect(withNext.json['next']).toEqual(expect.stringContaining('fields=next%2Cvalues.id'));
		const { items, pages } = await walk(`${REPO}/pullrequests?fields=next,values.id&pagelen=50`);
		expect(items).toHaveLength(54);
		expect(pages).toHaveLength(2);
	});

	it('omits reviewers and participants from PR collections unless added with +', async () => {
		const plain = await call(`${REPO}/pullrequests`);
		expect(values(plain)[0]).not.toHaveProperty('reviewers');
		expect(values(plain)[0]).not.toHaveProperty('participants');
		const added = await call(`${REPO}/pullrequests?fields=${encodeURIComponent('+values.reviewers')}`);
		expect(values(added)[0]['reviewers']).toEqual(expect.any(Array));
		expect(values(added)[0]).not.toHaveProperty('participants');
		expect(added.json['next']).toBeDefined();
		const single = await call(`${REPO}/pullrequests/1`);
		expect(single.json['reviewers']).toEqual(expect.any(Array));
		expect(single.json['participants']).toEqual(expect.any(Array));
	});

	it('removes fields with -, supports wildcards, and an unencoded + matches nothing', async () => {
		const noLinks = await call(`${REPO}/pullrequests/1?fields=-links,-author.links`);
		expect(noLinks.json).not.toHaveProperty('links');
		expect(noLinks.json['author']).not.toHaveProperty('links');
		expect(noLinks.json['title']).toBe('Fix crash when a user has no avatar');
		const emptied = await call(`${REPO}?fields=-links.*`);
		expect(emptied.json['links']).toEqual({});
		const unencoded = await call(`${REPO}/pullrequests?fields=+values.reviewers`);
		expect(unencoded.status).toBe(200);
		expect(unencoded.json).toEqual({});
	});
});

describe('BBQL filtering and sorting', () => {
	it('filters on dotted fields, contains, dates, AND/OR and parentheses', async () => {
		const bySource = await call(`${REPO}/pullrequests?q=${encodeURIComponent('source.branch.name = "bugfix/null-avatar"')}`);
		expect(values(bySource).map((p) => p['id'])).toEqual([1]);
		const contains = await call(`${REPO}/pullrequests?state=OPEN&state=MERGED&q=${encodeURIComponent('title ~ "AUDIT"')}&fields=values.title,size`);
		expect(values(contains).length).toBeGreaterThan(0);
		for (const pr of values(contains)) expect(String(pr['title']).toLowerCase()).toContain('audit');

		const repo = sandbox.state.repo('technocore_axion', 'axion');
		const cutoff = repo?.pullRequests[59].updated_on ?? '';
		const cutoffIso = new Date(cutoff).toISOString();
		const q = `(state = "MERGED" OR state = "DECLINED") AND updated_on > ${cutoffIso}`;
		const { items } = await walk(`${REPO}/pullrequests?pagelen=50&fields=next,values.id&q=${encodeURIComponent(q)}`);
		const expected = (repo?.pullRequests ?? [])
			.filter((p) => (p.state === 'MERGED' || p.state === 'DECLINED') && Date.parse(p.updated_on) > Date.parse(cutoffIso))
			.map((p) => p.id)
			.sort((a, b) => b - a);
		expect(expected.length).toBeGreaterThan(5);
		expect(items.map((p) => p['id'])).toEqual(expected);
	});

	it('sorts on one field, descending with a leading minus', async () => {
		const reply = await call(`${REPO}/pullrequests?state=MERGED&sort=-updated_on&pagelen=50&fields=values.updated_on`);
		const stamps = values(reply).map((p) => String(p['updated_on']));
		expect(stamps).toEqual([...stamps].sort().reverse());
		const ascending = await call(`${REPO}/refs/branches?sort=-name&pagelen=5&fields=values.name`);
		const names = values(ascending).map((b) => String(b['name']));
		expect(names).toEqual([...names].sort().reverse());
	});

	it('answers 400 to an unparseable query', async () => {
		for (const q of ['state = ', 'title ~~ "x"', '(state = "OPEN"', 'state "OPEN"']) {
			const reply = await call(`${REPO}/pullrequests?q=${encodeURIComponent(q)}`);
			expect(reply.status).toBe(400);
			expect(errorOf(reply).message).toBe('Invalid query');
		}
	});

	it('lists only OPEN pull requests by default and honours repeated state parameters', async () => {
		const { items: open } = await walk(`${REPO}/pullrequests?pagelen=50&fields=next,values.state`);
		expect(new Set(open.map((p) => p['state']))).toEqual(new Set(['OPEN']));
		const { items: closed } = await walk(`${REPO}/pullrequests?state=MERGED&state=DECLINED&pagelen=50&fields=next,values.state`);
		expect(closed).toHaveLength(42 + 18);
		expect(new Set(closed.map((p) => p['state']))).toEqual(new Set(['MERGED', 'DECLINED']));
	});
});

describe('raw path decoding', () => {
	it('needs slashes in branch names percent-encoded: unencoded is a 404', async () => {
		const encoded = await call(`${REPO}/refs/branches/feat%2Fuser-export`);
		expect(encoded.status).toBe(200);
		expect(encoded.json['name']).toBe('feat/user-export');
		const raw = await call(`${REPO}/refs/branches/feat/user-export`);
		expect(raw.status).toBe(404);
	});

	it('accepts brace-wrapped UUIDs sent as %7B...%7D and a trailing slash', async () => {
		const uuid = sandbox.state.repo('technocore_axion', 'axion')?.uuid ?? '';
		const byUuid = await call(`/repositories/technocore_axion/${encodeURIComponent(uuid)}`);
		expect(byUuid.status).toBe(200);
		expect(byUuid.json['uuid']).toBe(uuid);
		expect((await call(`${REPO}/pullrequests/`)).status).toBe(200);
	});
});

describe('workspaces and users', () => {
	it('lists the caller workspaces as workspace_access items and answers 410 on /workspaces', async () => {
		const reply = await call('/user/workspaces');
		expect(values(reply)).toEqual([
			expect.objectContaining({ type: 'workspace_access', administrator: true, workspace: expect.objectContaining({ slug: 'technocore_axion', uuid: expect.stringMatching(/^\{.+\}$/) }) }),
			expect.objectContaining({ type: 'workspace_access', administrator: false, workspace: expect.objectContaining({ slug: 'axion-labs' }) }),
		]);
		const gone = await call('/workspaces');
		expect(gone.status).toBe(410);
		expect(errorOf(gone).message).toContain('/user/workspaces');
		const ws = await call('/workspaces/technocore_axion');
		expect(ws.json).toMatchObject({ type: 'workspace', slug: 'technocore_axion', name: 'Technocore Axion' });
	});
});

describe('request log and control endpoints', () => {
	it('records every API request with raw path, query, lower-cased headers, parsed body, auth kind and status', async () => {
		await call(`${REPO}/refs/branches/feat%2Fuser-export?fields=name`, { headers: { 'X-Trace': 'abc' } });
		await call(`${REPO}/pullrequests`, { method: 'POST', body: { title: '' } });
		await call('/user', { auth: null });
		await fetch(`${sandbox.origin}/_sandbox/health`);
		expect(sandbox.requests).toHaveLength(3);
		const [branch, post, anonymous] = sandbox.requests;
		expect(branch).toMatchObject({ method: 'GET', path: '/2.0/repositories/technocore_axion/axion/refs/branches/feat%2Fuser-export', query: { fields: ['name'] }, authKind: 'apiToken', status: 200, rawBody: '' });
		expect(branch.headers['x-trace']).toBe('abc');
		expect(branch.body).toBeUndefined();
		expect(post).toMatchObject({ method: 'POST', body: { title: '' }, rawBody: '{"title":""}', status: 400 });
		expect(anonymous).toMatchObject({ authKind: 'none', status: 401 });
		expect(sandbox.requestCount({ method: 'post' })).toBe(1);
		expect(sandbox.requestCount({ pathPattern: /refs\/branches/ })).toBe(1);
		sandbox.clearRequests();
		expect(sandbox.requestCount()).toBe(0);
	});

	it('exposes health, requests, faults and reset over HTTP without recording them', async () => {
		const health = await fetch(`${sandbox.origin}/_sandbox/health`);
		expect(await health.json()).toMatchObject({ status: 'ok', baseUrl: sandbox.baseUrl });
		await call('/user');
		const log = (await (await fetch(`${sandbox.origin}/_sandbox/requests`)).json()) as Json[];
		expect(log.map((r) => r['path'])).toEqual(['/2.0/user']);
		const queued = await fetch(`${sandbox.origin}/_sandbox/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ status: 503, pathPattern: '/pullrequests$', method: 'GET', times: 2 }),
		});
		expect(queued.status).toBe(201);
		expect((await call('/user')).status).toBe(200);
		expect((await call(`${REPO}/pullrequests`)).status).toBe(503);
		expect((await call(`${REPO}/pullrequests`)).status).toBe(503);
		expect((await call(`${REPO}/pullrequests`)).status).toBe(200);
		expect((await fetch(`${sandbox.origin}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
		expect(sandbox.requests).toHaveLength(0);
		await call(`${REPO}/refs/branches/develop`, { method: 'DELETE' });
		expect(sandbox.state.branch(sandbox.state.repo('technocore_axion', 'axion')!, 'develop')).toBeUndefined();
		expect((await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' })).status).toBe(204);
		expect(sandbox.state.branch(sandbox.state.repo('technocore_axion', 'axion')!, 'develop')).toBeDefined();
		const bad = await fetch(`${sandbox.origin}/_sandbox/faults`, { method: 'POST', body: '{"status":"x"}' });
		expect(bad.status).toBe(400);
	});
});
