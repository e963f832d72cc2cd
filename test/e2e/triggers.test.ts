/**
 * The triggers in a running n8n (2.41.1, `n8n start`) against the sandbox, which delivers webhooks as Bitbucket
 * does.
 * - Bitbucket Cloud Trigger: activation registers a webhook pointing at n8n's production URL with a secret; an API
 *   change becomes one delivery and one execution (here: linking the pull request in Axion Sync); a redelivery
 *   starts nothing, also after a restart; a tampered or unsigned delivery is refused with 401; deactivation
 *   deletes the webhook.
 * - Bitbucket Cloud Poll Trigger: the example "Sync pull requests to Axion", published with a one-minute poll (n8n
 *   refuses less): the first poll emits nothing, the next one links a changed open pull request and marks a
 *   declined one. Its many-poll cases run through n8n-core's PollContext (test/node/poll-trigger.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { axionDemoCredential, bitbucketDemoCredential, loadExampleWorkflows } from '../../dev/n8n/demo';
import { N8nInstance, type WorkflowDefinition } from '../../dev/n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox, type RecordedRequest, type Sandbox } from '../../dev/sandbox/server';
import { REPO, testClient } from '../helpers/bitbucket';
import { AXION_SYNC_NODE, PACKAGE, log, rl, syncRows } from './support';

jest.setTimeout(10 * 60_000);

const WEBHOOK_ID = 'c0ffee00-0b1e-4b1e-8b1e-b17b0c4e7001';
const WORKFLOW = 'wfBitbucketHook';

let sandbox: Sandbox;
let n8n: N8nInstance;
let sqliteFile = '';

function hookRequests(method: string): RecordedRequest[] {
	return sandbox.requests.filter((r) => r.method === method && /\/repositories\/technocore_axion\/axion\/hooks(\/|$)/.test(r.path));
}

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function executions(): Promise<Array<{ id: string; status: string; mode: string }>> {
	const data = (await n8n.rest('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW }))}`)) as {
		results: Array<{ id: string; status: string; mode: string }>;
	};
	return data.results;
}

/** Waits for every delivery in flight, then for n8n to have finished `count` executions. */
async function settled(count: number): Promise<Array<{ id: string; status: string; mode: string }>> {
	await sandbox.webhooks.idle();
	return await until(`${count} finished execution(s)`, async () => {
		const list = await executions();
		return list.length === count && list.every((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
	});
}

beforeAll(async () => {
	sandbox = await startSandbox();
	n8n = await N8nInstance.create({ log });
	sqliteFile = join(n8n.n8nFolder, 'trigger-sync.sqlite');
	const bitbucket = bitbucketDemoCredential({ kind: 'sandbox', baseUrl: sandbox.baseUrl });
	const axion = axionDemoCredential({ sqliteFile, packageName: 'axion' });
	await n8n.importCredentials([bitbucket, axion]);
	const workflow: WorkflowDefinition = {
		id: WORKFLOW,
		name: 'Link pull requests as Bitbucket announces them',
		nodes: [
			{
				id: 'trigger',
				name: 'Bitbucket Cloud Trigger',
				type: `${PACKAGE}.bitbucketCloudTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: {
					authentication: 'bitbucketCloudApi',
					subject: 'repository',
					workspace: rl(C.workspace, 'slug'),
					repository: rl(C.repo, 'slug'),
					events: ['pullrequest:created', 'pullrequest:updated'],
					options: { simplify: true },
				},
				credentials: { bitbucketCloudApi: { id: bitbucket.id, name: bitbucket.name } },
			},
			{
				id: 'link',
				name: 'Link pull request',
				type: AXION_SYNC_NODE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					operation: 'linkRecord',
					sourceTable: 'def_pull_requests',
					sourceKey: '={{ $json.pullRequestId }}',
					externalId: '={{ $json.pullRequestId }}',
					externalType: '={{ $json.event.split(":")[0] }}',
					provider: 'bitbucket',
					status: 'synced',
				},
				credentials: { axionDatabase: { id: axion.id, name: axion.name } },
			},
		],
		connections: { 'Bitbucket Cloud Trigger': { main: [[{ node: 'Link pull request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	await n8n.importWorkflows([workflow]);
	await n8n.runOk(['publish:workflow', `--id=${WORKFLOW}`]);
	await n8n.start();
	await n8n.login();
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
});

describe('the Bitbucket Cloud Trigger in a running n8n', () => {
	let secret = '';

	it('registers a webhook on activation: n8n production URL, the chosen events, a fresh secret', async () => {
		const [created] = await until('the webhook registration', () => (hookRequests('POST').length ? hookRequests('POST') : undefined));
		const body = created.body as IDataObject;
		expect(body.url).toBe(`${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`);
		expect(body.events).toEqual(['pullrequest:created', 'pullrequest:updated']);
		expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(body.active).toBe(true);
		secret = String(body.secret);
		const hook = sandbox.state.repo(C.workspace, C.repo)!.hooks.find((h) => h.url === body.url);
		expect(hook?.secret).toBe(secret);
		// The secret is nowhere in n8n's logs.
		for (const file of [n8n.serverLogFile, n8n.n8nLogFile]) expect(readFileSync(file, 'utf8')).not.toContain(secret);
	});

	it('an API change is delivered, signed, and starts one execution carrying the payload', async () => {
		const { client } = testClient(sandbox);
		const pr = await client.createPullRequest(REPO, { title: 'Announced by webhook', sourceBranch: 'feat/user-export', destinationBranch: 'develop' });
		const [execution] = await settled(1);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		const delivery = sandbox.webhooks.attempts.find((a) => a.url.startsWith(n8n.baseUrl));
		expect(delivery).toMatchObject({ event: 'pullrequest:created', attempt: 1, status: 200 });
		expect(syncRows(sqliteFile).map((r) => [r.SourceKey, r.ExternalType])).toEqual([[String(pr.id), 'pullrequest']]);
	});

	it('a redelivery of the same request UUID starts no second execution', async () => {
		const first = sandbox.webhooks.attempts.find((a) => a.url.startsWith(n8n.baseUrl))!;
		await sandbox.webhooks.redeliver(first.requestUuid);
		expect(sandbox.webhooks.attempts.at(-1)).toMatchObject({ requestUuid: first.requestUuid, attempt: 2, status: 200 });
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(await settled(1)).toHaveLength(1);
	});

	it.each([
		['a wrong signature', 'wrongSignature', 'signature mismatch'],
		['a body changed after signing', 'bodyChangedAfterSigning', 'signature mismatch'],
		['no signature', 'noSignature', 'no signature header'],
	] as const)('%s is refused with 401 and starts nothing', async (_what, tamper, reason) => {
		sandbox.webhooks.tamperNext(tamper, 1, n8n.baseUrl);
		const ids = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN').map((p) => p.id);
		sandbox.touchPullRequests([ids[0]]);
		await sandbox.webhooks.idle();
		const refused = sandbox.webhooks.attempts.filter((a) => a.url.startsWith(n8n.baseUrl)).at(-1);
		expect(refused).toMatchObject({ tampered: tamper, status: 401, attempt: 1 });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(await executions()).toHaveLength(1);
		const logged = readFileSync(n8n.serverLogFile, 'utf8');
		expect(logged).toContain(`refused a delivery (${reason}): event pullrequest:updated, request ${refused!.requestUuid.replace(/[{}]/g, '')}`);
		// One line, without the body: no payload field shows in the log.
		expect(logged).not.toMatch(/"pullrequest":\s*\{/);
	});

	it('an event that is not selected is answered 200 and starts nothing', async () => {
		const { client } = testClient(sandbox);
		const hook = sandbox.state.repo(C.workspace, C.repo)!.hooks.find((h) => h.url.startsWith(n8n.baseUrl))!;
		hook.events.push('pullrequest:approved');
		const [open] = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN' && p.author.nickname !== 'axion-dev');
		await client.approvePullRequest(REPO, open.id);
		await sandbox.webhooks.idle();
		expect(sandbox.webhooks.attempts.at(-1)).toMatchObject({ event: 'pullrequest:approved', status: 200 });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(await executions()).toHaveLength(1);
	});

	it('after a restart the webhook is kept (its secret is stored) and a redelivery still starts nothing', async () => {
		const first = sandbox.webhooks.attempts.find((a) => a.url.startsWith(n8n.baseUrl))!;
		const postsBefore = hookRequests('POST').length + hookRequests('PUT').length;
		const port = Number(new URL(n8n.baseUrl).port);
		await n8n.stop();
		await n8n.start({ port });
		await n8n.login();
		// Activation on start found its webhook (checkExists): nothing re-registered.
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(hookRequests('POST').length + hookRequests('PUT').length).toBe(postsBefore);
		// The memory of this new process is empty: only the stored list can recognise the request UUID.
		await sandbox.webhooks.redeliver(first.requestUuid);
		expect(sandbox.webhooks.attempts.at(-1)).toMatchObject({ requestUuid: first.requestUuid, status: 200 });
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(await executions()).toHaveLength(1);
	});

	it('deactivation deletes the webhook', async () => {
		const hookUrl = `${n8n.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;
		const workflow = (await n8n.rest('GET', `/rest/workflows/${WORKFLOW}`)) as { versionId: string };
		await n8n.rest('POST', `/rest/workflows/${WORKFLOW}/deactivate`, { versionId: workflow.versionId });
		await until('the webhook deletion', () => (hookRequests('DELETE').length ? true : undefined));
		expect(hookRequests('DELETE').at(-1)?.status).toBe(204);
		expect(sandbox.state.repo(C.workspace, C.repo)!.hooks.find((h) => h.url === hookUrl)).toBeUndefined();
	});
});

describe('the Bitbucket Cloud Poll Trigger in a running n8n (the sync example, polling every minute)', () => {
	let pollSandbox: Sandbox;
	let polling: N8nInstance;
	let file = '';
	const rows = () => syncRows(file).filter((r) => r.SourceTable === 'def_pull_requests');
	const pollRequests = () => pollSandbox.requests.filter((r) => r.method === 'GET' && /\/pullrequests$/.test(r.path) && r.query.fields !== undefined);

	beforeAll(async () => {
		pollSandbox = await startSandbox();
		polling = await N8nInstance.create({ log });
		file = join(polling.n8nFolder, 'axion-sync.sqlite');
		await polling.importCredentials([bitbucketDemoCredential({ kind: 'sandbox', baseUrl: pollSandbox.baseUrl }), axionDemoCredential()]);
		const sync = loadExampleWorkflows().find((e) => e.file === 'sync-open-pull-requests.json')!.workflow;
		// Polling every minute instead of every 15 (n8n accepts no less).
		const everyMinute: WorkflowDefinition = {
			...sync,
			nodes: sync.nodes.map((node) => (node.name === 'Changed pull requests' ? { ...node, parameters: { ...node.parameters, pollTimes: { item: [{ mode: 'everyMinute' }] } } } : node)),
		};
		await polling.importWorkflows([everyMinute]);
		// The backfill (the example's Manual Trigger path) first, as a user would.
		const backfill = await polling.execute(sync.id);
		if (!backfill.ok) throw new Error(`backfill failed: ${backfill.error?.message}`);
		await polling.runOk(['publish:workflow', `--id=${sync.id}`]);
		pollSandbox.clearRequests();
		await polling.start();
	});

	afterAll(async () => {
		await polling?.dispose();
		await pollSandbox?.close();
	});

	it('the first poll records where "now" is and changes nothing', async () => {
		const before = rows();
		expect(before.length).toBe(pollSandbox.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN').length);
		await until('the first poll', () => (pollRequests().length > 0 ? true : undefined), 75_000);
		expect(pollRequests()[0].query).toMatchObject({ sort: ['-updated_on'] });
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(rows()).toEqual(before);
	});

	it('the next poll links a changed open pull request and marks a declined one, in one request', async () => {
		const before = rows();
		const [declined, changed] = before.map((r) => Number(r.ExternalId));
		const { client } = testClient(pollSandbox);
		await client.declinePullRequest(REPO, declined);
		pollSandbox.touchPullRequests([changed]);
		pollSandbox.clearRequests();
		await until('the next poll', () => (pollRequests().length > 0 ? true : undefined), 75_000);
		const after = await until('the rows the poll wrote', () => {
			const now = rows();
			return now.find((r) => r.ExternalId === String(declined))?.SyncStatus === 'deleted' &&
				now.find((r) => r.ExternalId === String(changed))?.SyncedAt !== before.find((r) => r.ExternalId === String(changed))?.SyncedAt
				? now
				: undefined;
		});
		// Only those two rows moved.
		const untouched = (list: IDataObject[]) => list.filter((r) => ![String(declined), String(changed)].includes(String(r.ExternalId)));
		expect(untouched(after)).toEqual(untouched(before));
		expect(pollRequests()).toHaveLength(1);
		expect(pollRequests()[0].query.q[0]).toMatch(/^updated_on >= \d{4}-/);
	});
});
