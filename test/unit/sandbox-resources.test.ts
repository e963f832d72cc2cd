/** The Bitbucket sandbox's resources over real HTTP: pull requests, refs, pipelines, commits, issues, hooks, repositories. */
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { authorizationFor, sandboxClient, type JsonObject, type SandboxReply } from '../../dev/sandbox/testing';

const REPO = '/repositories/technocore_axion/axion';

let sandbox: Sandbox;
let call: ReturnType<typeof sandboxClient>['call'];
let walk: ReturnType<typeof sandboxClient>['walk'];

function values(reply: SandboxReply): JsonObject[] {
	return reply.json['values'] as JsonObject[];
}

function error(reply: SandboxReply): { message: string; detail?: unknown; fields?: Record<string, string[]> } {
	expect(reply.json['type']).toBe('error');
	return reply.json['error'] as { message: string; detail?: unknown; fields?: Record<string, string[]> };
}

function axion() {
	const repo = sandbox.state.repo('technocore_axion', 'axion');
	if (!repo) throw new Error('seed has no axion repository');
	return repo;
}

function openPr(predicate: (id: number) => boolean): number {
	const pr = axion().pullRequests.find((p) => p.state === 'OPEN' && !p.draft && predicate(p.id));
	if (!pr) throw new Error('no matching open PR in the seed');
	return pr.id;
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

describe('pull requests: create and update', () => {
	it('creates a PR (201, Location) targeting the main branch by default', async () => {
		const reply = await call(`${REPO}/pullrequests`, {
			method: 'POST',
			body: { title: 'Export users as CSV', description: 'Adds export', source: { branch: { name: 'feat/user-export' } }, close_source_branch: true },
		});
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			type: 'pullrequest',
			id: 121,
			title: 'Export users as CSV',
			state: 'OPEN',
			close_source_branch: true,
			source: { branch: { name: 'feat/user-export' } },
			destination: { branch: { name: 'main' } },
			author: { nickname: 'axion-dev' },
			links: { html: { href: 'https://bitbucket.org/technocore_axion/axion/pull-requests/121' } },
		});
		expect(String((reply.json['source'] as { commit: { hash: string } }).commit.hash)).toMatch(/^[0-9a-f]{12}$/);
		expect(reply.headers.get('location')).toBe(`${sandbox.baseUrl}${REPO}/pullrequests/121`);
		expect(axion().pullRequests).toHaveLength(121);
	});

	it('names the invalid fields: missing title, unknown source branch, author as reviewer', async () => {
		const noTitle = await call(`${REPO}/pullrequests`, { method: 'POST', body: { source: { branch: { name: 'feat/user-export' } } } });
		expect(noTitle.status).toBe(400);
		expect(error(noTitle).fields).toEqual({ title: ['This field is required.'] });
		const noBranch = await call(`${REPO}/pullrequests`, { method: 'POST', body: { title: 'x', source: { branch: { name: 'nope' } } } });
		expect(noBranch.status).toBe(400);
		expect(Object.keys(error(noBranch).fields ?? {})).toEqual(['source']);
		const me = sandbox.state.user('axion-dev')?.uuid;
		const selfReview = await call(`${REPO}/pullrequests`, { method: 'POST', body: { title: 'x', source: { branch: { name: 'feat/user-export' } }, reviewers: [{ uuid: me }] } });
		expect(selfReview.status).toBe(400);
		expect(error(selfReview).fields?.['reviewers']?.[0]).toMatch(/author/);
		expect(axion().pullRequests).toHaveLength(120);
	});

	it('refuses a second open PR for the same branches and a PR with nothing to merge', async () => {
		const body = { title: 'Audit logins', source: { branch: { name: 'feature/login-audit' } }, destination: { branch: { name: 'develop' } } };
		expect((await call(`${REPO}/pullrequests`, { method: 'POST', body })).status).toBe(201);
		const again = await call(`${REPO}/pullrequests`, { method: 'POST', body });
		expect(again.status).toBe(400);
		expect(error(again).message).toMatch(/already an open pull request/);
		const same = await call(`${REPO}/pullrequests`, { method: 'POST', body: { title: 'x', source: { branch: { name: 'main' } } } });
		expect(same.status).toBe(400);
		expect(error(same).message).toBe('There are no changes to be pulled');
	});

	it('updates an open PR with PUT and moves updated_on forward', async () => {
		const before = axion().pullRequests[0].updated_on;
		const reply = await call(`${REPO}/pullrequests/1`, { method: 'PUT', body: { title: 'Renamed', draft: true } });
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ id: 1, title: 'Renamed', draft: true });
		expect(String(reply.json['updated_on']) > before).toBe(true);
		const since = await call(`${REPO}/pullrequests?q=${encodeURIComponent(`updated_on > ${new Date(before).toISOString()}`)}&sort=-updated_on&fields=values.id`);
		expect(values(since)[0]['id']).toBe(1);
	});
});

describe('pull requests: reviews', () => {
	it('answers 400 to approve or request-changes sent with a JSON content type or a body', async () => {
		const id = openPr(() => true);
		const withType = await call(`${REPO}/pullrequests/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' } });
		expect(withType.status).toBe(400);
		const withBody = await call(`${REPO}/pullrequests/${id}/approve`, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
		expect(withBody.status).toBe(400);
		const changes = await call(`${REPO}/pullrequests/${id}/request-changes`, { method: 'POST', body: {} });
		expect(changes.status).toBe(400);
		expect(axion().pullRequests[id - 1].participants.some((p) => p.user.nickname === 'axion-dev' && p.state !== null)).toBe(false);
	});

	it('approves (200 with the participant), unapproves (204), requests changes (200) and withdraws (204)', async () => {
		const id = openPr(() => true);
		const approved = await call(`${REPO}/pullrequests/${id}/approve`, { method: 'POST' });
		expect(approved.status).toBe(200);
		expect(approved.json).toMatchObject({ type: 'participant', approved: true, state: 'approved', user: { nickname: 'axion-dev' } });
		const pr = await call(`${REPO}/pullrequests/${id}`);
		expect((pr.json['participants'] as JsonObject[]).find((p) => (p['user'] as JsonObject)['nickname'] === 'axion-dev')).toMatchObject({ approved: true });
		expect((await call(`${REPO}/pullrequests/${id}/approve`, { method: 'DELETE' })).status).toBe(204);
		const changes = await call(`${REPO}/pullrequests/${id}/request-changes`, { method: 'POST' });
		expect(changes.status).toBe(200);
		expect(changes.json).toMatchObject({ approved: false, state: 'changes_requested' });
		expect((await call(`${REPO}/pullrequests/${id}/request-changes`, { method: 'DELETE' })).status).toBe(204);
		const activity = await call(`${REPO}/pullrequests/${id}/activity`);
		expect(values(activity)[0]).toHaveProperty('changes_requested');
		expect(values(activity)[1]).toHaveProperty('approval');
	});
});

describe('pull requests: merge and decline', () => {
	it('merges synchronously (200) with a new merge commit on the destination and closes the source branch', async () => {
		const id = openPr((n) => n % 5 !== 0);
		const source = axion().pullRequests[id - 1].source.branch.name;
		const reply = await call(`${REPO}/pullrequests/${id}/merge`, {
			method: 'POST',
			body: { type: 'pullrequest_merge_parameters', message: 'Ship it', close_source_branch: true, merge_strategy: 'merge_commit' },
		});
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({ id, state: 'MERGED', closed_by: { nickname: 'axion-dev' } });
		const mergeHash = (reply.json['merge_commit'] as { hash: string }).hash;
		expect(sandbox.state.branch(axion(), 'main')?.target.hash.startsWith(mergeHash)).toBe(true);
		expect(sandbox.state.branch(axion(), 'main')?.target.message).toBe('Ship it');
		expect(sandbox.state.branch(axion(), source)).toBeUndefined();
		const again = await call(`${REPO}/pullrequests/${id}/merge`, { method: 'POST' });
		expect(again.status).toBe(400);
		expect(error(again).message).toMatch(/merged/);
	});

	it('rejects an unknown merge strategy with a field error', async () => {
		const id = openPr((n) => n % 5 !== 0);
		const reply = await call(`${REPO}/pullrequests/${id}/merge`, { method: 'POST', body: { merge_strategy: 'octopus' } });
		expect(reply.status).toBe(400);
		expect(error(reply).fields?.['merge_strategy']).toBeDefined();
		expect(axion().pullRequests[id - 1].state).toBe('OPEN');
	});

	it('answers 202 with a Location for PRs whose id is divisible by 5, then PENDING twice and SUCCESS', async () => {
		const id = openPr((n) => n % 5 === 0);
		const accepted = await call(`${REPO}/pullrequests/${id}/merge`, { method: 'POST', body: { merge_strategy: 'squash' } });
		expect(accepted.status).toBe(202);
		const location = accepted.headers.get('location') ?? '';
		expect(location).toMatch(new RegExp(`^${sandbox.baseUrl}${REPO}/pullrequests/${id}/merge/task-status/[0-9a-f-]+$`));
		expect(axion().pullRequests[id - 1]).toMatchObject({ state: 'OPEN', queued: true });
		const polls: JsonObject[] = [];
		for (let i = 0; i < 3; i++) polls.push((await call(location)).json);
		expect(polls.map((p) => p['task_status'])).toEqual(['PENDING', 'PENDING', 'SUCCESS']);
		expect(polls[2]['merge_result']).toMatchObject({ id, state: 'MERGED' });
		expect(axion().pullRequests[id - 1]).toMatchObject({ state: 'MERGED', queued: false });
		const wrongTask = await call(`${REPO}/pullrequests/${id}/merge/task-status/not-a-task`);
		expect(wrongTask.status).toBe(400);
	});

	it('merges asynchronously on ?async=true', async () => {
		const id = openPr((n) => n % 5 !== 0);
		const reply = await call(`${REPO}/pullrequests/${id}/merge?async=true`, { method: 'POST' });
		expect(reply.status).toBe(202);
		expect(reply.headers.get('location')).toContain('/merge/task-status/');
	});

	it('declines an open PR (200) and refuses to merge it afterwards', async () => {
		const id = openPr(() => true);
		const declined = await call(`${REPO}/pullrequests/${id}/decline`, { method: 'POST' });
		expect(declined.status).toBe(200);
		expect(declined.json['state']).toBe('DECLINED');
		expect((await call(`${REPO}/pullrequests/${id}/merge`, { method: 'POST' })).status).toBe(400);
	});
});

describe('pull requests: commits, diffstat, comments', () => {
	it('lists the commits of an open PR that are not on its destination', async () => {
		const { items } = await walk(`${REPO}/pullrequests/1/commits`);
		expect(items.length).toBeGreaterThan(0);
		const mainHistory = new Set(axion().commits.map((c) => c.hash));
		for (const commit of items) expect(mainHistory.has(String(commit['hash']))).toBe(true);
		expect(items[0]['hash']).toBe(axion().pullRequests[0].source.commit.hash);
	});

	it('redirects diffstat (302) to the repository diffstat, which allows pagelen up to 5000', async () => {
		const redirect = await call(`${REPO}/pullrequests/1/diffstat?pagelen=5000`, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(redirect.headers.get('location') ?? '');
		expect(location.pathname).toMatch(/\/diffstat\/[0-9a-f]{12}\.\.[0-9a-f]{12}$/);
		expect(location.searchParams.get('pagelen')).toBe('5000');
		const followed = await call(`${REPO}/pullrequests/1/diffstat?pagelen=5000`);
		expect(followed.status).toBe(200);
		expect(followed.json['pagelen']).toBe(5000);
		expect(values(followed)[0]).toMatchObject({ type: 'diffstat', status: expect.stringMatching(/added|modified/) });
		expect((await call(`${location.pathname.replace('/2.0', '')}?pagelen=5001`)).status).toBe(400);
	});

	it('adds a comment (201) that counts and appears in the activity', async () => {
		const count = axion().pullRequests[0].comment_count;
		const reply = await call(`${REPO}/pullrequests/1/comments`, { method: 'POST', body: { content: { raw: 'Looks **good**' } } });
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({ type: 'pullrequest_comment', content: { raw: 'Looks **good**' }, user: { nickname: 'axion-dev' } });
		expect(axion().pullRequests[0].comment_count).toBe(count + 1);
		const activity = await call(`${REPO}/pullrequests/1/activity`);
		expect((values(activity)[0]['comment'] as JsonObject)['id']).toBe(reply.json['id']);
		const empty = await call(`${REPO}/pullrequests/1/comments`, { method: 'POST', body: { content: { raw: '' } } });
		expect(error(empty).fields).toHaveProperty('content');
	});
});

describe('branches and tags', () => {
	it('has the seeded branches with main as the main branch', async () => {
		const { items } = await walk(`${REPO}/refs/branches?pagelen=100`);
		const names = items.map((b) => b['name']);
		for (const name of ['main', 'develop', 'feat/user-export', 'feature/login-audit', 'release/2026.11']) expect(names).toContain(name);
		expect((await call(REPO)).json['mainbranch']).toEqual({ name: 'main', type: 'branch' });
		const filtered = await call(`${REPO}/refs/branches?q=${encodeURIComponent('name ~ "release/"')}`);
		expect(values(filtered).map((b) => b['name'])).toEqual(['release/2026.11']);
	});

	it('creates (201), reads, refuses duplicates and deletes (204) a branch whose name has a slash', async () => {
		const target = axion().commits[5].hash;
		const created = await call(`${REPO}/refs/branches`, { method: 'POST', body: { name: 'feature/new-thing', target: { hash: target } } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ type: 'branch', name: 'feature/new-thing', target: { hash: target } });
		expect((await call(`${REPO}/refs/branches/feature%2Fnew-thing`)).status).toBe(200);
		expect((await call(`${REPO}/refs/branches`, { method: 'POST', body: { name: 'feature/new-thing', target: { hash: target } } })).status).toBe(400);
		expect((await call(`${REPO}/refs/branches`, { method: 'POST', body: { name: 'x', target: { hash: 'f'.repeat(40) } } })).status).toBe(400);
		expect((await call(`${REPO}/refs/branches/feature%2Fnew-thing`, { method: 'DELETE' })).status).toBe(204);
		expect((await call(`${REPO}/refs/branches/feature%2Fnew-thing`)).status).toBe(404);
	});

	it('creates and deletes tags', async () => {
		const created = await call(`${REPO}/refs/tags`, { method: 'POST', body: { name: 'v9.9.9', target: { hash: 'main' } } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ type: 'tag', name: 'v9.9.9', target: { hash: sandbox.state.branch(axion(), 'main')?.target.hash } });
		expect(String(created.json['message'])).toContain('Added tag v9.9.9');
		expect((await call(`${REPO}/refs/tags/v9.9.9`, { method: 'DELETE' })).status).toBe(204);
		expect((await call(`${REPO}/refs/tags/v9.9.9`)).status).toBe(404);
	});
});

describe('pipelines', () => {
	it('lists pipelines newest first with sort=-created_on', async () => {
		const reply = await call(`${REPO}/pipelines?sort=-created_on&pagelen=100`);
		expect(reply.json['size']).toBe(30);
		const numbers = values(reply).map((p) => Number(p['build_number']));
		expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
		expect(values(reply)[0]['state']).toEqual({ type: 'pipeline_state_pending', name: 'PENDING' });
	});

	it('triggers a branch pipeline (201) with a custom selector and never echoes secured variables', async () => {
		const reply = await call(`${REPO}/pipelines`, {
			method: 'POST',
			body: {
				target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'feat/user-export', selector: { type: 'custom', pattern: 'deploy-to-staging' } },
				variables: [
					{ key: 'ENV', value: 'staging', secured: false },
					{ key: 'TOKEN', value: 's3cr3t', secured: true },
				],
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			type: 'pipeline',
			build_number: 31,
			state: { name: 'PENDING' },
			target: { type: 'pipeline_ref_target', ref_name: 'feat/user-export', selector: { type: 'custom', pattern: 'deploy-to-staging' } },
		});
		expect(reply.json['variables']).toEqual([
			expect.objectContaining({ key: 'ENV', value: 'staging', secured: false }),
			{ type: 'pipeline_variable', uuid: expect.any(String), key: 'TOKEN', secured: true },
		]);
		expect(reply.text).not.toContain('s3cr3t');
	});

	it('triggers a commit pipeline and refuses unknown branches', async () => {
		const hash = axion().commits[3].hash;
		const commit = await call(`${REPO}/pipelines`, { method: 'POST', body: { target: { type: 'pipeline_commit_target', commit: { type: 'commit', hash } } } });
		expect(commit.status).toBe(201);
		expect((commit.json['target'] as JsonObject)['commit']).toMatchObject({ hash });
		const unknown = await call(`${REPO}/pipelines`, { method: 'POST', body: { target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'no-such-branch' } } });
		expect(unknown.status).toBe(400);
		expect(error(unknown).message).toContain('no-such-branch');
	});

	it('stops a running pipeline (204) and serves steps and logs, with Range support', async () => {
		const running = axion().pipelines.find((p) => p.state.name === 'IN_PROGRESS');
		if (!running) throw new Error('seed has no running pipeline');
		const uuid = encodeURIComponent(running.uuid);
		expect((await call(`${REPO}/pipelines/${uuid}/stopPipeline`, { method: 'POST' })).status).toBe(204);
		const stopped = await call(`${REPO}/pipelines/${uuid}`);
		expect(stopped.json['state']).toMatchObject({ name: 'COMPLETED', result: { name: 'STOPPED' } });
		expect((await call(`${REPO}/pipelines/${uuid}/stopPipeline`, { method: 'POST' })).status).toBe(400);

		const done = axion().pipelines[0];
		const steps = await call(`${REPO}/pipelines/${encodeURIComponent(done.uuid)}/steps`);
		expect(values(steps).map((s) => s['name'])).toEqual(done.steps.map((s) => s.name));
		const stepPath = `${REPO}/pipelines/${encodeURIComponent(done.uuid)}/steps/${encodeURIComponent(done.steps[0].uuid)}/log`;
		const log = await call(stepPath);
		expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(log.text).toContain('+ npm ci');
		const partial = await call(stepPath, { headers: { range: 'bytes=0-9' } });
		expect(partial.status).toBe(206);
		expect(partial.text).toBe(log.text.slice(0, 10));
		expect((await call(stepPath, { headers: { range: 'bytes=999999-' } })).status).toBe(416);
	});
});

describe('commits and build statuses', () => {
	it('gets a commit by hash and answers 404 to an unknown one', async () => {
		const hash = axion().commits[10].hash;
		const commit = await call(`${REPO}/commit/${hash}`);
		expect(commit.json).toMatchObject({ type: 'commit', hash, author: { type: 'author', raw: expect.stringMatching(/<.+@axion\.test>/) } });
		expect((await call(`${REPO}/commit/${'0'.repeat(40)}`)).status).toBe(404);
	});

	it('walks a branch history, excluding another ref, and filters by path', async () => {
		const { items: onDevelop } = await walk(`${REPO}/commits/develop?exclude=main&pagelen=100`);
		expect(onDevelop.length).toBeGreaterThan(0);
		const mainHashes = new Set((await walk(`${REPO}/commits/main?pagelen=100`)).items.map((c) => c['hash']));
		for (const c of onDevelop) expect(mainHashes.has(c['hash'])).toBe(false);
		const { items: readme } = await walk(`${REPO}/commits?path=README.md&pagelen=100`);
		const expected = axion().commits.filter((c) => c.files.some((f) => f.path === 'README.md')).map((c) => c.hash);
		expect(readme.map((c) => c['hash'])).toEqual(expected);
		expect((await call(`${REPO}/commits/no-such-ref`)).status).toBe(404);
	});

	it('creates build statuses (201), overwrites by key and lists them', async () => {
		const hash = axion().commits[0].hash;
		const path = `${REPO}/commit/${hash}/statuses/build`;
		const body = { key: 'CI-1', state: 'INPROGRESS', url: 'https://ci.axion.test/1', name: 'CI' };
		expect((await call(path, { method: 'POST', body })).status).toBe(201);
		const updated = await call(path, { method: 'POST', body: { ...body, state: 'SUCCESSFUL' } });
		expect(updated.status).toBe(201);
		expect(updated.json).toMatchObject({ key: 'CI-1', state: 'SUCCESSFUL', commit: { hash } });
		const list = await call(`${REPO}/commit/${hash}/statuses`);
		expect(values(list).filter((s) => s['key'] === 'CI-1')).toHaveLength(1);
		const bad = await call(path, { method: 'POST', body: { ...body, state: 'DONE' } });
		expect(error(bad).fields).toHaveProperty('state');
	});
});

describe('issues', () => {
	it('answers 404 "Repository has no issue tracker." when the tracker is off', async () => {
		const reply = await call('/repositories/technocore_axion/no-tracker/issues');
		expect(reply.status).toBe(404);
		expect(reply.json).toEqual({ type: 'error', error: { message: 'Repository has no issue tracker.' } });
	});

	it('creates (201), updates and comments (201) on issues', async () => {
		const created = await call(`${REPO}/issues`, { method: 'POST', body: { title: 'Export is slow', content: { raw: 'Takes 10 s' }, kind: 'bug', priority: 'critical' } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ type: 'issue', id: 26, state: 'new', kind: 'bug', priority: 'critical', content: { raw: 'Takes 10 s' } });
		const updated = await call(`${REPO}/issues/26`, { method: 'PUT', body: { state: 'resolved' } });
		expect(updated.json).toMatchObject({ id: 26, state: 'resolved' });
		expect((await call(`${REPO}/issues/26`, { method: 'PUT', body: { priority: 'urgent' } })).status).toBe(400);
		const comment = await call(`${REPO}/issues/26/comments`, { method: 'POST', body: { content: { raw: 'Fixed' } } });
		expect(comment.status).toBe(201);
		expect(comment.json).toMatchObject({ type: 'issue_comment', content: { raw: 'Fixed' } });
		const open = await call(`${REPO}/issues?q=${encodeURIComponent('state = "resolved" AND kind = "bug"')}&fields=values.id`);
		expect(values(open).map((i) => i['id'])).toContain(26);
	});
});

describe('webhooks', () => {
	it('creates a repository webhook (201) without ever echoing its secret, and deletes it (204)', async () => {
		const created = await call(`${REPO}/hooks`, {
			method: 'POST',
			body: { url: 'https://n8n.axion.test/webhook/1', description: 'n8n', events: ['pullrequest:created', 'repo:push'], active: true, secret: 'hush-hush' },
		});
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ type: 'webhook_subscription', url: 'https://n8n.axion.test/webhook/1', secret_set: true, events: ['pullrequest:created', 'repo:push'] });
		expect(created.text).not.toContain('hush-hush');
		const list = await call(`${REPO}/hooks`);
		expect(list.text).not.toContain('hush-hush');
		expect(values(list)).toHaveLength(2);
		const uid = encodeURIComponent(String(created.json['uuid']));
		expect((await call(`${REPO}/hooks/${uid}`, { method: 'DELETE' })).status).toBe(204);
		expect((await call(`${REPO}/hooks/${uid}`)).status).toBe(404);
		const badEvent = await call(`${REPO}/hooks`, { method: 'POST', body: { url: 'https://x.test', events: ['pr:opened'] } });
		expect(error(badEvent).fields).toHaveProperty('events');
	});

	it('manages workspace webhooks', async () => {
		const created = await call('/workspaces/technocore_axion/hooks', { method: 'POST', body: { url: 'https://x.test/ws', events: ['repo:created'] } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ subject_type: 'workspace', secret_set: false });
		expect(values(await call('/workspaces/technocore_axion/hooks'))).toHaveLength(2);
		const uid = encodeURIComponent(String(created.json['uuid']));
		expect((await call(`/workspaces/technocore_axion/hooks/${uid}`, { method: 'DELETE' })).status).toBe(204);
		expect((await call('/workspaces/technocore_axion/hooks', { auth: 'accessToken' })).status).toBe(403);
	});
});

describe('repositories, deployments and environments', () => {
	it('lists, filters and creates repositories (create answers 200, a second time 400)', async () => {
		const { items } = await walk('/repositories/technocore_axion?pagelen=100');
		expect(items).toHaveLength(14);
		const filtered = await call(`/repositories/technocore_axion?q=${encodeURIComponent('name ~ "service" AND project.key = "OPS"')}`);
		expect(values(filtered).map((r) => r['slug'])).toEqual(['notification-service']);
		const created = await call('/repositories/technocore_axion/brand-new', { method: 'POST', body: { scm: 'git', is_private: true, project: { key: 'OPS' } } });
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({ type: 'repository', full_name: 'technocore_axion/brand-new', project: { key: 'OPS' } });
		expect((await call('/repositories/technocore_axion/brand-new', { method: 'POST', body: {} })).status).toBe(400);
		expect((await call('/repositories/technocore_axion/brand-new')).status).toBe(200);
	});

	it('lists environments and deployments', async () => {
		const environments = await call(`${REPO}/environments`);
		expect(values(environments).map((e) => e['name'])).toEqual(['Test', 'Staging', 'Production']);
		const deployments = await call(`${REPO}/deployments?pagelen=100`);
		expect(values(deployments).length).toBeGreaterThan(0);
		const envIds = new Set(values(environments).map((e) => e['uuid']));
		for (const d of values(deployments)) expect(envIds.has((d['environment'] as JsonObject)['uuid'])).toBe(true);
	});
});

describe('src: files, directories and commits', () => {
	async function commit(form: FormData, query = ''): Promise<Response> {
		return await fetch(`${sandbox.baseUrl}${REPO}/src${query}`, { method: 'POST', headers: { authorization: authorizationFor('apiToken') }, body: form });
	}

	it('answers a file with its bytes and a type from its extension, a directory with a listing, and meta data on request', async () => {
		const main = axion().branches.find((b) => b.name === 'main')!.target.hash;
		const root = await call(`${REPO}/src`, { redirect: 'manual' });
		expect(root.status).toBe(302);
		expect(root.headers.get('location')).toBe(`${sandbox.baseUrl}${REPO}/src/${main}/`);
		const readme = await call(`${REPO}/src/main/README.md`);
		expect([readme.status, readme.headers.get('content-type'), readme.text]).toEqual([200, 'text/markdown', axion().files.get('README.md')!.content.toString()]);
		const docs = await call(`${REPO}/src/${main}/docs/`);
		expect(values(docs).map((e) => `${e['type']} ${e['path']}`)).toEqual(['commit_directory docs/api', 'commit_file docs/guide.md', 'commit_directory docs/images']);
		const meta = await call(`${REPO}/src/${main}/docs/images/logo.png?format=meta`);
		expect(meta.json).toMatchObject({ type: 'commit_file', path: 'docs/images/logo.png', size: axion().files.get('docs/images/logo.png')!.content.length, attributes: ['binary'] });
		expect(error(await call(`${REPO}/src/${main}/docs?max_depth=0`)).message).toBe('Invalid max_depth');
		expect((await call(`${REPO}/src/no-such-ref/README.md`)).status).toBe(404);
	});

	it('takes branch and message from the form only: given in the query string they are ignored and the commit lands on main', async () => {
		const main = axion().branches.find((b) => b.name === 'main')!;
		const before = main.target.hash;
		const form = new FormData();
		form.append('notes.md', new Blob(['hello']), 'notes.md');
		const answer = await commit(form, '?branch=feat%2Fquery&message=From%20the%20query');
		expect(answer.status).toBe(201);
		expect(main.target.hash).not.toBe(before);
		expect(main.target.message).toBe('Edited online with Bitbucket');
		expect(axion().branches.some((b) => b.name === 'feat/query')).toBe(false);
	});

	it('refuses a body that is not multipart, and a parent that is not the branch head (409)', async () => {
		const json = await call(`${REPO}/src`, { method: 'POST', body: { 'a.txt': 'x', branch: 'develop' } });
		expect([json.status, error(json).detail]).toEqual([400, 'Send the files as multipart/form-data.']);
		const develop = axion().branches.find((b) => b.name === 'develop')!;
		const form = new FormData();
		form.append('branch', 'develop');
		form.append('parents', axion().branches.find((b) => b.name === 'main')!.target.hash);
		form.append('a.txt', new Blob(['x']), 'a.txt');
		const moved = await commit(form);
		expect(moved.status).toBe(409);
		expect(((await moved.json()) as { error: { message: string } }).error.message).toMatch(/is not the head of branch develop/);
		expect(axion().branches.find((b) => b.name === 'develop')).toBe(develop);
	});
});

describe('pipeline and deployment variables', () => {
	it('never answers a secured value, and answers 409 for a key used twice', async () => {
		const list = await call(`${REPO}/pipelines_config/variables`);
		const secured = values(list).find((v) => v['key'] === 'NPM_TOKEN')!;
		expect(secured).toEqual({ type: 'pipeline_variable', uuid: expect.any(String), key: 'NPM_TOKEN', secured: true });
		expect(list.text).not.toContain('npm_seeded_secret_value');
		const duplicate = await call(`${REPO}/pipelines_config/variables`, { method: 'POST', body: { key: 'NPM_TOKEN', value: 'x', secured: true } });
		expect(duplicate.status).toBe(409);
		const staging = axion().environments.find((e) => e.name === 'Staging')!;
		const env = await call(`${REPO}/deployments_config/environments/${encodeURIComponent(staging.uuid)}/variables`);
		expect(values(env).map((v) => [v['type'], v['key'], v['value']])).toEqual([
			['deployment_variable', 'API_URL', 'https://staging.axion.test'],
			['deployment_variable', 'DEPLOY_TOKEN', undefined],
		]);
	});
});
