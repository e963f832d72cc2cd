/**
 * The Bitbucket Cloud node executed by n8n-core's workflow engine against the sandbox over real HTTP.
 * For every operation: the request Bitbucket received (method, path, query, body, auth) and the items out.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { listSearch, runNode, type RunResult } from '../../dev/n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';
import { specTemplateFor } from '../helpers/openapi';

const TYPE = 'n8n-nodes-axion-bitbucket.bitbucketCloud';
const WS = C.workspace;
const REPO = C.repo;
const BASIC = `Basic ${Buffer.from(`${C.apiToken.email}:${C.apiToken.token}`).toString('base64')}`;

let sandbox: Sandbox;
const sent: RecordedRequest[] = [];

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sent.push(...sandbox.requests);
	sandbox.reset();
});

const rl = (value: string | number, mode = 'id') => ({ __rl: true, mode, value: String(value) });
const repoParams = { workspace: rl(WS), repository: rl(REPO) };

function credentials(extra: IDataObject = {}) {
	return {
		bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl, ...extra },
	};
}

async function run(
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
		{ credentials: credentials(options.credentials), items: options.items },
	);
}

function state() {
	return sandbox.state.repo(WS, REPO)!;
}

function only(method: string, path: RegExp): RecordedRequest {
	const matching = sandbox.requests.filter((r) => r.method === method && path.test(r.path));
	expect(matching).toHaveLength(1);
	return matching[0];
}

function ok(result: RunResult & { items: INodeExecutionData[] }): IDataObject[] {
	if (result.error) throw result.error;
	for (const item of result.items) expect(item.pairedItem).toEqual({ item: 0 });
	return result.items.map((i) => i.json);
}

const R = `/2.0/repositories/${WS}/${REPO}`;

describe('repository', () => {
	it('gets one', async () => {
		const [repo] = ok(await run({ resource: 'repository', operation: 'get', ...repoParams }));
		expect(repo.full_name).toBe(`${WS}/${REPO}`);
		expect(only('GET', new RegExp(`^${R}$`)).headers.authorization).toBe(BASIC);
	});

	it('gets many with a name filter, role and sort', async () => {
		const repos = ok(
			await run({ resource: 'repository', operation: 'getMany', workspace: rl(WS), returnAll: true, filters: { name: 'axion', role: 'member', sort: 'name' } }),
		);
		expect(repos.length).toBeGreaterThan(0);
		expect(repos.every((r) => String(r.name).toLowerCase().includes('axion'))).toBe(true);
		const call = only('GET', new RegExp(`^/2.0/repositories/${WS}$`));
		expect(call.query).toMatchObject({ q: ['name ~ "axion"'], role: ['member'], sort: ['name'], pagelen: ['100'] });
	});

	it('creates one in a project (Bitbucket answers 200)', async () => {
		const [repo] = ok(
			await run({ resource: 'repository', operation: 'create', workspace: rl(WS), name: 'Axion Tools', isPrivate: true, additionalFields: { projectKey: 'AX', description: 'tools' } }),
		);
		expect(repo.slug).toBe('axion-tools');
		const call = only('POST', /\/repositories\/technocore_axion\/axion-tools$/);
		expect(call.body).toMatchObject({ scm: 'git', is_private: true, name: 'Axion Tools', project: { key: 'AX' }, description: 'tools' });
	});
});

describe('branch and tag', () => {
	it('gets a branch whose name has a slash, by name and by URL', async () => {
		const [byName] = ok(await run({ resource: 'branch', operation: 'get', ...repoParams, branch: rl('feat/user-export') }));
		expect(byName.name).toBe('feat/user-export');
		const [byUrl] = ok(
			await run({ resource: 'branch', operation: 'get', ...repoParams, branch: rl(`https://bitbucket.org/${WS}/${REPO}/branch/feat/user-export`, 'url') }),
		);
		expect(byUrl.name).toBe('feat/user-export');
		expect(sandbox.requests.every((r) => r.path === `${R}/refs/branches/feat%2Fuser-export`)).toBe(true);
	});

	it('gets many with a filter and an exact limit', async () => {
		const branches = ok(await run({ resource: 'branch', operation: 'getMany', ...repoParams, returnAll: false, limit: 2, filters: { name: 'feat' } }));
		expect(branches).toHaveLength(2);
		expect(only('GET', /refs\/branches$/).query).toMatchObject({ pagelen: ['2'], q: ['name ~ "feat"'] });
	});

	it('creates a branch from another branch head, then deletes it', async () => {
		const develop = state().branches.find((b) => b.name === 'develop')!;
		const [created] = ok(await run({ resource: 'branch', operation: 'create', ...repoParams, name: 'feat/n8n-test', from: 'branch', fromBranch: rl('develop') }));
		expect(created.name).toBe('feat/n8n-test');
		expect(only('POST', /refs\/branches$/).body).toEqual({ name: 'feat/n8n-test', target: { hash: develop.target.hash } });

		const [deleted] = ok(await run({ resource: 'branch', operation: 'delete', ...repoParams, branch: rl('feat/n8n-test') }));
		expect(deleted).toEqual({ success: true, deleted: 'feat/n8n-test' });
		expect(only('DELETE', /refs\/branches\/feat%2Fn8n-test$/).status).toBe(204);
	});

	it('creates a branch at a commit', async () => {
		const hash = state().commits[3].hash;
		ok(await run({ resource: 'branch', operation: 'create', ...repoParams, name: 'hotfix/at-commit', from: 'commit', commit: hash }));
		expect(only('POST', /refs\/branches$/).body).toEqual({ name: 'hotfix/at-commit', target: { hash } });
	});

	it('lists, creates and deletes tags', async () => {
		const tags = ok(await run({ resource: 'tag', operation: 'getMany', ...repoParams, returnAll: true }));
		expect(tags.length).toBe(state().tags.length);
		const hash = state().commits[0].hash;
		const [tag] = ok(await run({ resource: 'tag', operation: 'create', ...repoParams, name: 'v9.9.9', commit: hash, message: 'test' }));
		expect(tag.name).toBe('v9.9.9');
		expect(only('POST', /refs\/tags$/).body).toMatchObject({ name: 'v9.9.9', target: { hash } });
		ok(await run({ resource: 'tag', operation: 'delete', ...repoParams, tag: 'v9.9.9' }));
		expect(only('DELETE', /refs\/tags\/v9.9.9$/).status).toBe(204);
	});
});

describe('pull request', () => {
	const openPr = () => state().pullRequests.find((p) => p.state === 'OPEN' && !p.asyncMerge)!;

	it('gets one by ID, by URL and simplified with fields=', async () => {
		const pr = openPr();
		const [simple] = ok(await run({ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl(pr.id), simplify: true }));
		expect(simple.id).toBe(pr.id);
		expect(simple).not.toHaveProperty('participants');
		expect(String(only('GET', new RegExp(`pullrequests/${pr.id}$`)).query.fields)).toContain('source.branch.name');

		sandbox.clearRequests();
		const [full] = ok(
			await run({ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl(`https://bitbucket.org/${WS}/${REPO}/pull-requests/${pr.id}`, 'url'), simplify: false }),
		);
		expect(full.title).toBe(pr.title);
		expect(only('GET', new RegExp(`pullrequests/${pr.id}$`)).query.fields).toBeUndefined();
	});

	it('gets many: states, BBQL, sort; Return All walks pages of 50, Limit stops exactly', async () => {
		const total = state().pullRequests.length;
		const all = ok(
			await run({ resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: true, filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'], sort: '-updated_on' } }),
		);
		expect(all).toHaveLength(total);
		const calls = sandbox.requests.filter((r) => /pullrequests$/.test(r.path));
		expect(calls).toHaveLength(Math.ceil(total / 50));
		expect(calls[0].query.state).toEqual(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']);
		expect(calls[0].query.pagelen).toEqual(['50']);

		sandbox.clearRequests();
		const some = ok(await run({ resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: false, limit: 3, filters: { q: 'state = "OPEN"' } }));
		expect(some).toHaveLength(3);
		expect(some.every((p) => p.state === 'OPEN')).toBe(true);
		expect(only('GET', /pullrequests$/).query).toMatchObject({ pagelen: ['3'], q: ['state = "OPEN"'] });
	});

	it('creates one from the seed example, destination defaulting to the main branch when empty', async () => {
		const [pr] = ok(
			await run({
				resource: 'pullRequest',
				operation: 'create',
				...repoParams,
				title: 'Adds CSV export for user data',
				sourceBranch: rl('feat/user-export'),
				destinationBranch: rl('develop'),
				additionalFields: { description: 'Adds CSV export', closeSourceBranch: true, draft: false },
			}),
		);
		expect(pr).toMatchObject({ title: 'Adds CSV export for user data', state: 'OPEN' });
		expect(only('POST', /pullrequests$/).body).toEqual({
			title: 'Adds CSV export for user data',
			source: { branch: { name: 'feat/user-export' } },
			destination: { branch: { name: 'develop' } },
			description: 'Adds CSV export',
			close_source_branch: true,
			draft: false,
		});

		sandbox.clearRequests();
		const [toMain] = ok(await run({ resource: 'pullRequest', operation: 'create', ...repoParams, title: 'To main', sourceBranch: rl('develop'), destinationBranch: rl('') }));
		expect((toMain.destination as IDataObject).branch).toEqual(expect.objectContaining({ name: state().mainbranch.name }));
		expect(only('POST', /pullrequests$/).body).not.toHaveProperty('destination');
	});

	it('updates only the given fields', async () => {
		const pr = openPr();
		const [updated] = ok(await run({ resource: 'pullRequest', operation: 'update', ...repoParams, pullRequest: rl(pr.id), updateFields: { title: 'Renamed' } }));
		expect(updated.title).toBe('Renamed');
		expect(only('PUT', new RegExp(`pullrequests/${pr.id}$`)).body).toEqual({ title: 'Renamed' });
	});

	it('approves and unapproves with no body; requests changes; declines', async () => {
		const pr = openPr();
		const [approval] = ok(await run({ resource: 'pullRequest', operation: 'approve', ...repoParams, pullRequest: rl(pr.id) }));
		expect(approval.approved).toBe(true);
		const approve = only('POST', /approve$/);
		expect(approve.rawBody).toBe('');
		expect(approve.headers['content-type']).toBeUndefined();

		ok(await run({ resource: 'pullRequest', operation: 'unapprove', ...repoParams, pullRequest: rl(pr.id) }));
		expect(only('DELETE', /approve$/).status).toBe(204);

		const [changes] = ok(await run({ resource: 'pullRequest', operation: 'requestChanges', ...repoParams, pullRequest: rl(pr.id) }));
		expect(changes.state).toBe('changes_requested');
		expect(only('POST', /request-changes$/).rawBody).toBe('');

		const [declined] = ok(await run({ resource: 'pullRequest', operation: 'decline', ...repoParams, pullRequest: rl(pr.id) }));
		expect(declined.state).toBe('DECLINED');
	});

	it('merges, waiting for a 202 task', async () => {
		const pr = state().pullRequests.find((p) => p.state === 'OPEN' && p.asyncMerge)!;
		const [merged] = ok(
			await run({ resource: 'pullRequest', operation: 'merge', ...repoParams, pullRequest: rl(pr.id), mergeStrategy: 'squash', options: { message: 'Ship it', closeSourceBranch: true } }),
		);
		expect(merged.state).toBe('MERGED');
		const post = only('POST', /merge$/);
		expect(post.status).toBe(202);
		expect(post.body).toEqual({ type: 'pullrequest', merge_strategy: 'squash', message: 'Ship it', close_source_branch: true });
		expect(sandbox.requests.some((r) => /task-status/.test(r.path))).toBe(true);
	});

	it('reads commits, diffstat, activity and comments, and adds a comment', async () => {
		const pr = openPr();
		for (const operation of ['getCommits', 'getDiffstat', 'getActivity', 'getComments']) {
			sandbox.clearRequests();
			const result = await run({ resource: 'pullRequest', operation, ...repoParams, pullRequest: rl(pr.id), returnAll: true });
			ok(result);
			expect(sandbox.requests.length).toBeGreaterThan(0);
			// Diffstat answers a 302 to the repository diffstat, which the request layer follows.
			expect(sandbox.requests.every((r) => r.status === 200 || r.status === 302)).toBe(true);
		}
		const [comment] = ok(await run({ resource: 'pullRequest', operation: 'addComment', ...repoParams, pullRequest: rl(pr.id), comment: 'Looks good' }));
		expect((comment.content as IDataObject).raw).toBe('Looks good');
		expect(only('POST', /comments$/).body).toEqual({ content: { raw: 'Looks good' } });
	});
});

describe('pipeline', () => {
	it('gets many newest first, simplified', async () => {
		const pipelines = ok(await run({ resource: 'pipeline', operation: 'getMany', ...repoParams, returnAll: false, limit: 5, simplify: true }));
		expect(pipelines).toHaveLength(5);
		const call = only('GET', /pipelines$/);
		expect(call.query.sort).toEqual(['-created_on']);
		expect(String(call.query.fields)).toContain('values.build_number');
		const numbers = pipelines.map((p) => p.build_number as number);
		expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
	});

	it('triggers a custom pipeline on a branch with a secured variable that never comes back', async () => {
		const [pipeline] = ok(
			await run({
				resource: 'pipeline',
				operation: 'trigger',
				...repoParams,
				targetType: 'branch',
				branch: rl('develop'),
				pattern: 'deploy-staging',
				variablesInput: 'fields',
				variables: { variable: [{ key: 'DEPLOY_ENV', value: 'staging', secured: false }, { key: 'API_KEY', value: 's3cr3t-value', secured: true }] },
			}),
		);
		expect(pipeline.uuid).toMatch(/^\{.+\}$/);
		expect(only('POST', /pipelines$/).body).toEqual({
			target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'develop', selector: { type: 'custom', pattern: 'deploy-staging' } },
			variables: [
				{ key: 'DEPLOY_ENV', value: 'staging', secured: false },
				{ key: 'API_KEY', value: 's3cr3t-value', secured: true },
			],
		});
		expect(JSON.stringify(pipeline)).not.toContain('s3cr3t-value');
	});

	it('triggers on a commit with variables as JSON, then gets, stops, lists steps and reads a log', async () => {
		const hash = state().commits[0].hash;
		const [pipeline] = ok(
			await run({ resource: 'pipeline', operation: 'trigger', ...repoParams, targetType: 'commit', commit: hash, variablesInput: 'json', variablesJson: '{"DEPLOY_ENV":"staging"}' }),
		);
		expect(only('POST', /pipelines$/).body).toMatchObject({ target: { type: 'pipeline_commit_target', commit: { type: 'commit', hash } }, variables: [{ key: 'DEPLOY_ENV', value: 'staging', secured: false }] });

		const [got] = ok(await run({ resource: 'pipeline', operation: 'get', ...repoParams, pipelineUuid: pipeline.uuid as string }));
		expect(got.uuid).toBe(pipeline.uuid);

		const existing = state().pipelines.find((p) => p.steps.length > 0)!;
		const steps = ok(await run({ resource: 'pipeline', operation: 'getSteps', ...repoParams, pipelineUuid: existing.uuid, returnAll: true }));
		expect(steps).toHaveLength(existing.steps.length);
		const [log] = ok(await run({ resource: 'pipeline', operation: 'getStepLog', ...repoParams, pipelineUuid: existing.uuid, stepUuid: existing.steps[0].uuid }));
		expect(log.log).toBe(existing.steps[0].log);

		const [stopped] = ok(await run({ resource: 'pipeline', operation: 'stop', ...repoParams, pipelineUuid: pipeline.uuid as string }));
		expect(stopped).toEqual({ success: true, stopped: pipeline.uuid });
		expect(only('POST', /stopPipeline$/).status).toBe(204);
	});
});

describe('commit', () => {
	it('gets many on a branch with include/exclude and path, simplified', async () => {
		const commits = ok(
			await run({ resource: 'commit', operation: 'getMany', ...repoParams, returnAll: false, limit: 10, filters: { revision: 'develop', exclude: 'main' }, simplify: true }),
		);
		expect(commits.length).toBeGreaterThan(0);
		expect(Object.keys(commits[0]).sort()).toEqual(expect.arrayContaining(['hash', 'message']));
		const call = only('GET', /commits\/develop$/);
		expect(call.query).toMatchObject({ exclude: ['main'], pagelen: ['10'] });
	});

	it('gets one and creates and reads build statuses', async () => {
		const hash = state().commits[1].hash;
		const [commit] = ok(await run({ resource: 'commit', operation: 'get', ...repoParams, commit: hash }));
		expect(commit.hash).toBe(hash);
		const [status] = ok(
			await run({ resource: 'commit', operation: 'createBuildStatus', ...repoParams, commit: hash, state: 'SUCCESSFUL', key: 'n8n-ci', url: 'https://ci.example.com/1', additionalFields: { name: 'CI' } }),
		);
		expect(status).toMatchObject({ key: 'n8n-ci', state: 'SUCCESSFUL' });
		expect(only('POST', /statuses\/build$/).body).toEqual({ key: 'n8n-ci', state: 'SUCCESSFUL', url: 'https://ci.example.com/1', name: 'CI' });
		const statuses = ok(await run({ resource: 'commit', operation: 'getBuildStatuses', ...repoParams, commit: hash, returnAll: true }));
		expect(statuses.map((s) => s.key)).toContain('n8n-ci');
	});
});

describe('issue (deprecated tracker)', () => {
	it('lists with BBQL, gets, creates, updates and comments', async () => {
		const issues = ok(await run({ resource: 'issue', operation: 'getMany', ...repoParams, returnAll: true, filters: { q: 'kind = "bug"' } }));
		expect(issues.length).toBeGreaterThan(0);
		expect(issues.every((i) => i.kind === 'bug')).toBe(true);
		const [created] = ok(
			await run({ resource: 'issue', operation: 'create', ...repoParams, title: 'Export fails', additionalFields: { content: 'Steps…', kind: 'bug', priority: 'critical' } }),
		);
		expect(only('POST', /issues$/).body).toEqual({ title: 'Export fails', content: { raw: 'Steps…' }, kind: 'bug', priority: 'critical' });
		const [got] = ok(await run({ resource: 'issue', operation: 'get', ...repoParams, issueId: String(created.id) }));
		expect(got.title).toBe('Export fails');
		const [updated] = ok(await run({ resource: 'issue', operation: 'update', ...repoParams, issueId: String(created.id), updateFields: { state: 'resolved' } }));
		expect(updated.state).toBe('resolved');
		ok(await run({ resource: 'issue', operation: 'addComment', ...repoParams, issueId: String(created.id), comment: 'Fixed' }));
		expect(only('POST', /comments$/).body).toEqual({ content: { raw: 'Fixed' } });
	});

	it('explains a repository without the tracker', async () => {
		const result = await run({ resource: 'issue', operation: 'getMany', workspace: rl(WS), repository: rl('no-tracker'), returnAll: true });
		expect(result.error?.message).toMatch(/issue tracker is not enabled for this repository \(Bitbucket is retiring it\)/);
	});
});

describe('webhook and deployment', () => {
	it('creates, lists and deletes a repository webhook; the secret never comes back', async () => {
		const [hook] = ok(
			await run({ resource: 'webhook', operation: 'create', scope: 'repository', ...repoParams, url: 'https://n8n.example.com/webhook/bb', events: ['repo:push', 'pullrequest:created'], additionalFields: { secret: 'hook-secret-123' } }),
		);
		expect(JSON.stringify(hook)).not.toContain('hook-secret-123');
		expect(only('POST', /hooks$/).body).toMatchObject({ url: 'https://n8n.example.com/webhook/bb', events: ['repo:push', 'pullrequest:created'], secret: 'hook-secret-123', active: true });
		const hooks = ok(await run({ resource: 'webhook', operation: 'getMany', scope: 'repository', ...repoParams, returnAll: true }));
		expect(hooks.map((h) => h.uuid)).toContain(hook.uuid);
		ok(await run({ resource: 'webhook', operation: 'delete', scope: 'repository', ...repoParams, webhookId: hook.uuid as string }));
		expect(only('DELETE', /hooks\/%7B/).status).toBe(204);
	});

	it('creates a workspace webhook', async () => {
		ok(await run({ resource: 'webhook', operation: 'create', scope: 'workspace', workspace: rl(WS), url: 'https://n8n.example.com/webhook/ws', events: ['repo:push'] }));
		expect(only('POST', new RegExp(`^/2.0/workspaces/${WS}/hooks$`)).status).toBe(201);
	});

	it('lists deployments and environments', async () => {
		expect(ok(await run({ resource: 'deployment', operation: 'getMany', ...repoParams, returnAll: true })).length).toBeGreaterThan(0);
		expect(ok(await run({ resource: 'deployment', operation: 'getEnvironments', ...repoParams, returnAll: true })).length).toBeGreaterThan(0);
	});
});

describe('custom API call', () => {
	it('calls any endpoint through the same request layer, paginating on demand', async () => {
		const branches = ok(await run({ resource: 'customApiCall', operation: 'call', method: 'GET', path: `/repositories/${WS}/${REPO}/refs/branches`, query: '{"sort":"name"}', paginate: true, returnAll: true }));
		expect(branches.length).toBe(state().branches.length);
		const [user] = ok(await run({ resource: 'customApiCall', operation: 'call', method: 'GET', path: '/user', query: '{}' }));
		expect(user.display_name).toBeTruthy();
	});

	it('retries a 429 storm without Retry-After and loses nothing', async () => {
		sandbox.inject({ status: 429 }, 3);
		const prs = ok(await run({ resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: true, filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] } }));
		expect(prs).toHaveLength(state().pullRequests.length);
		expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(3);
	});
});

describe('per-item behaviour', () => {
	it('with Continue On Fail, a bad item becomes an error item and the others go on', async () => {
		const pr = state().pullRequests[0];
		const input = [String(pr.id), 'abc', String(pr.id)].map((value) => ({ json: { pr: value } }));
		const result = await run({ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('={{ $json.pr }}'), simplify: true }, { items: input, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.id).toBe(pr.id);
		expect(result.items[1].json).toMatchObject({ error: 'Pull request ID must be a positive whole number, got "abc"', field: 'pullRequest' });
		expect(result.items[2].json.id).toBe(pr.id);
		expect(sandbox.requests).toHaveLength(2); // the bad item sent nothing
	});

	it('without it, the bad item stops the node with its index and field', async () => {
		// A literal "abc" never gets this far: n8n's own parameter check refuses the workflow. From an expression it does.
		const literal = await run({ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('abc') }).catch((e: Error) => e);
		expect((literal as Error).message).toMatch(/Must be a number/);
		const result = await run({ resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('={{ "abc" }}') });
		expect(result.error?.message).toBe('Pull request ID must be a positive whole number, got "abc"');
		expect(result.error?.description).toBe('Check the "Pull Request" parameter.');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('carries Bitbucket status, message and field errors into the error item', async () => {
		const result = await run(
			{ resource: 'pullRequest', operation: 'create', ...repoParams, title: 'x', sourceBranch: rl('no-such-branch') },
			{ continueOnFail: true },
		);
		expect(result.items[0].json).toMatchObject({ httpCode: 400 });
		expect(String(result.items[0].json.error)).toMatch(/^Bitbucket 400: /);
	});

	it('never shows the secret in an error item or a node error, even when Bitbucket echoes it', async () => {
		const body = JSON.stringify({ type: 'error', error: { message: `Bad token ${C.apiToken.token}`, detail: BASIC } });
		// n8n itself sends a request once more after a 401 (to re-authenticate), so each run meets two.
		sandbox.inject({ status: 401, contentType: 'application/json', body }, 2);
		const soft = await run({ resource: 'repository', operation: 'get', ...repoParams }, { continueOnFail: true });
		sandbox.inject({ status: 401, contentType: 'application/json', body }, 2);
		const hard = await run({ resource: 'repository', operation: 'get', ...repoParams });
		const everything = JSON.stringify(soft.items) + JSON.stringify(hard.error) + String(hard.error?.message) + String(hard.error?.description);
		expect(soft.items[0].json.error).toBe('Bitbucket 401: Bad token ***');
		expect(hard.error?.message).toBe('Bitbucket 401: Bad token ***');
		expect(everything).not.toContain(C.apiToken.token);
		expect(everything).not.toContain(BASIC.slice('Basic '.length));
	});

	it.each([
		['a limit below 1', { resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: false, limit: 0 }, /Limit must be a whole number of at least 1/],
		['an empty repository with no default in the credential', { resource: 'repository', operation: 'get', workspace: rl(WS), repository: rl('') }, /Repository is empty: choose one, or set a default repository in the credential/],
		['a slug with a slash from an expression', { resource: 'repository', operation: 'get', workspace: rl(WS), repository: rl('={{ "a/b" }}') }, /is not a valid repository slug/],
		['malformed variables JSON', { resource: 'pipeline', operation: 'trigger', ...repoParams, targetType: 'branch', branch: rl('develop'), variablesInput: 'json', variablesJson: '{"DEPLOY_ENV": ' }, /Variables \(JSON\) is not valid JSON/],
		['a PR URL of another repository', { resource: 'pullRequest', operation: 'get', ...repoParams, pullRequest: rl('https://bitbucket.org/other/repo/pull-requests/3', 'url') }, /points to other\/repo/],
		['a repository URL in another workspace than Workspace', { resource: 'repository', operation: 'get', workspace: rl(WS), repository: rl('https://bitbucket.org/other-team/axion', 'url') }, /repository URL is in workspace "other-team" but Workspace is "technocore_axion"/],
		['an empty update', { resource: 'pullRequest', operation: 'update', ...repoParams, pullRequest: rl(1), updateFields: {} }, /Update Fields is empty/],
	])('rejects %s before any request', async (_what, parameters, message) => {
		const result = await run(parameters as INodeParameters);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it("uses the credential's default workspace and repository when the fields are empty", async () => {
		const [repo] = ok(await run({ resource: 'repository', operation: 'get', workspace: rl(''), repository: rl('') }, { credentials: { workspace: WS, repository: REPO } }));
		expect(repo.full_name).toBe(`${WS}/${REPO}`);
	});
});

describe('OAuth2', () => {
	it("signs requests through n8n's OAuth2 helper with the stored access token", async () => {
		const result = await runNode(
			{
				type: TYPE,
				nodeType: new BitbucketCloud(),
				parameters: { authentication: 'bitbucketCloudOAuth2Api', resource: 'repository', operation: 'get', ...repoParams },
				credentials: ['bitbucketCloudOAuth2Api'],
			},
			{
				credentials: {
					bitbucketCloudOAuth2Api: {
						clientId: 'consumer-key',
						clientSecret: 'consumer-secret',
						accessTokenUrl: 'https://bitbucket.org/site/oauth2/access_token',
						authUrl: 'https://bitbucket.org/site/oauth2/authorize',
						grantType: 'authorizationCode',
						authentication: 'header',
						baseUrl: sandbox.baseUrl,
						oauthTokenData: { access_token: C.oauth2.accessToken, token_type: 'bearer', refresh_token: 'refresh-me' },
					},
				},
			},
		);
		expect(ok(result)[0].full_name).toBe(`${WS}/${REPO}`);
		const call = only('GET', new RegExp(`^${R}$`));
		expect(call.headers.authorization).toBe(`Bearer ${C.oauth2.accessToken}`);
		expect(call.authKind).toBe('oauth2');
	});
});

describe('resource locator lists', () => {
	const node = (parameters: INodeParameters) => ({ type: TYPE, nodeType: new BitbucketCloud(), parameters: { authentication: 'bitbucketCloudApi', ...parameters }, credentials: ['bitbucketCloudApi'] });

	it('lists workspaces, repositories (searchable), branches and pull requests', async () => {
		const workspaces = await listSearch(node({}), 'searchWorkspaces', { credentials: credentials() });
		expect(workspaces.results.map((r) => r.value)).toContain(WS);

		const repos = await listSearch(node({ workspace: rl(WS) }), 'searchRepositories', { credentials: credentials(), filter: 'no-track' });
		expect(repos.results.map((r) => r.value)).toEqual(['no-tracker']);

		const branches = await listSearch(node(repoParams), 'searchBranches', { credentials: credentials(), filter: 'feat' });
		expect(branches.results.map((r) => r.value)).toContain('feat/user-export');
		expect(branches.results.every((r) => String(r.value).includes('feat'))).toBe(true);

		const prs = await listSearch(node(repoParams), 'searchPullRequests', { credentials: credentials() });
		expect(prs.results.length).toBe(50);
		expect(prs.paginationToken).toBeTruthy();
		const next = await listSearch(node(repoParams), 'searchPullRequests', { credentials: credentials(), paginationToken: prs.paginationToken as string });
		expect(next.results[0].value).not.toBe(prs.results[0].value);
	});
});

describe('the API spec', () => {
	it('has every method and path the node sent in these tests', () => {
		const all = [...sent, ...sandbox.requests];
		expect(all.length).toBeGreaterThan(50);
		const unknown = all.filter((r) => !specTemplateFor(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
		expect(unknown).toEqual([]);
	});
});
