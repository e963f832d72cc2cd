/**
 * The package in n8n's queue mode: PostgreSQL (n8n's data and the Axion sync table), Redis, one main process and
 * two workers, all started here (dev/n8n/queue.ts), with this package installed for every process. Four
 * scenarios, each asserting on n8n's executions in PostgreSQL, the sandbox's request log and the sync table:
 *  (a) a burst of 200 signed webhook deliveries → exactly one execution each, spread over both workers;
 *      redeliveries add none; one row per pull request;
 *  (b) 20 concurrent sync executions whose link sets overlap by half → no duplicate row, no failed execution;
 *  (c) a worker killed while (b) runs again → what n8n does with its jobs, and a re-run converges;
 *  (d) the poll trigger: only main polls (once a minute), the executions run on workers, each change once.
 * And: an Axion Sync SQLite credential is refused in queue mode, in the node and in the credential test.
 */
import { readFileSync } from 'node:fs';

import type { IDataObject } from 'n8n-workflow';

import type { N8nCredential } from '../../dev/n8n/instance';
import { AXION_DATABASE, pipeline, QueueCluster, workflowNode } from '../../dev/n8n/queue';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { sleep } from '../../dev/system';
import { testClient } from '../helpers/bitbucket';

jest.setTimeout(20 * 60_000);

const PACKAGE = 'n8n-nodes-axion-bitbucket';
const log = (line: string) => process.stderr.write(`${line}\n`);
const rl = (value: string) => ({ __rl: true, mode: 'slug', value });

const BATCH = 1000;
const CALLS = 20;

let cluster: QueueCluster;
let burst: Sandbox;
let polled: Sandbox;
/** The poll scenario runs beside the others (on its own sandbox), driven by this promise. */
let pollScenario: Promise<{ polls: number[]; touched: number[][] }>;

const bitbucket = (id: string, sandbox: Sandbox): N8nCredential => ({
	id,
	name: `Bitbucket (${id})`,
	type: 'bitbucketCloudApi',
	data: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, workspace: C.workspace, repository: C.repo, baseUrl: sandbox.baseUrl },
});

const linkRecord = (credential: N8nCredential, parameters: IDataObject) =>
	workflowNode('Link', `${PACKAGE}.axionSync`, { operation: 'linkRecord', provider: 'bitbucket', status: 'synced', ...parameters }, {
		credentials: { axionDatabase: { id: credential.id, name: credential.name } },
	});

async function rows(sourceTable: string): Promise<Array<{ SourceKey: string; ExternalId: string; SyncStatus: string }>> {
	return await cluster.axionQuery(`SELECT "SourceKey", "ExternalId", "SyncStatus" FROM def_integration_sync WHERE "SourceTable" = $1`, [sourceTable]);
}

async function duplicates(sourceTable: string): Promise<number> {
	const [row] = await cluster.axionQuery<{ n: string }>(
		`SELECT count(*) AS n FROM (SELECT 1 FROM def_integration_sync WHERE "SourceTable" = $1 GROUP BY "Provider", "SourceTable", "SourceKey", "ExternalType" HAVING count(*) > 1) d`,
		[sourceTable],
	);
	return Number(row.n);
}

/** POSTs one sync batch (keys offset … offset + 999) and answers with n8n's HTTP status. */
async function syncBatch(offset: number, timeoutMs = 180_000): Promise<number> {
	return await fetch(cluster.webhookUrl('axion-sync-batch'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ offset }),
		signal: AbortSignal.timeout(timeoutMs),
	}).then(
		async (response) => {
			await response.text();
			return response.status;
		},
		() => 0,
	);
}

/** Polls `read` until it returns a value. */
async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await sleep(250);
	}
}

beforeAll(async () => {
	const started = Date.now();
	[burst, polled, cluster] = await Promise.all([startSandbox({ seed: { pullRequests: 220 } }), startSandbox(), QueueCluster.start({ workers: 2, log })]);
	const axion: N8nCredential = {
		id: 'axion-pg',
		name: 'Axion Database (PostgreSQL)',
		type: 'axionDatabase',
		data: { engine: 'postgres', host: cluster.pg.host, port: cluster.pg.port, database: AXION_DATABASE, user: cluster.pg.user, password: cluster.pg.password, ssl: 'disable', table: 'def_integration_sync', createTable: true, packageName: 'axion' },
	};
	const sqlite: N8nCredential = { id: 'axion-sqlite', name: 'Axion Database (SQLite)', type: 'axionDatabase', data: { engine: 'sqlite', sqliteFile: 'axion-sync.sqlite', createTable: true } };
	const burstCredential = bitbucket('bb-burst', burst);
	const pollCredential = bitbucket('bb-poll', polled);
	await cluster.n8n.importCredentials([axion, sqlite, burstCredential, pollCredential]);
	const webhook = (path: string) =>
		workflowNode('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, { typeVersion: 2, webhookId: path });
	await cluster.n8n.importWorkflows([
		pipeline('qWebhookLink', [
			workflowNode(
				'Bitbucket Cloud Trigger',
				`${PACKAGE}.bitbucketCloudTrigger`,
				{ authentication: 'bitbucketCloudApi', subject: 'repository', workspace: rl(C.workspace), repository: rl(C.repo), events: ['pullrequest:created', 'pullrequest:updated'], options: { simplify: true } },
				{ webhookId: 'queue-bitbucket-events', credentials: { bitbucketCloudApi: { id: burstCredential.id, name: burstCredential.name } } },
			),
			linkRecord(axion, { sourceTable: 'def_webhook_prs', sourceKey: '={{ $json.pullRequestId }}', externalId: '={{ $json.pullRequestId }}', externalType: 'pullrequest' }),
		]),
		pipeline('qSyncBatch', [
			webhook('axion-sync-batch'),
			workflowNode('Keys', 'n8n-nodes-base.set', {
				assignments: { assignments: [{ id: 'keys', name: 'keys', value: `={{ Array.from({ length: ${BATCH} }, (_, i) => $json.body.offset + i) }}`, type: 'array' }] },
				options: {},
			}, { typeVersion: 3.4 }),
			workflowNode('One item each', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'keys', options: {} }),
			linkRecord(axion, { sourceTable: 'def_batch', sourceKey: "={{ 'K-' + $json.keys }}", externalId: '={{ $json.keys }}', externalType: 'pullrequest' }),
		]),
		pipeline('qPoll', [
			workflowNode(
				'Changed pull requests',
				`${PACKAGE}.bitbucketCloudPollTrigger`,
				{ pollTimes: { item: [{ mode: 'everyMinute' }] }, authentication: 'bitbucketCloudApi', workspace: rl(C.workspace), repository: rl(C.repo), watch: 'pullRequests', states: ['OPEN', 'MERGED', 'DECLINED'], simplify: true },
				{ credentials: { bitbucketCloudApi: { id: pollCredential.id, name: pollCredential.name } } },
			),
			linkRecord(axion, { sourceTable: 'def_polled', sourceKey: '={{ $json.id }}', externalId: '={{ $json.id }}', externalType: 'pullrequest' }),
		]),
		pipeline('qSqlite', [webhook('axion-sqlite'), linkRecord(sqlite, { sourceTable: 'def_x', sourceKey: 'a', externalId: '1', externalType: 'pullrequest' })]),
	]);
	for (const id of ['qWebhookLink', 'qSyncBatch', 'qPoll', 'qSqlite']) await cluster.publish(id);
	await cluster.startProcesses();
	await cluster.waitForWebhooks(3);
	log(`[queue] main + ${cluster.workers.length} workers, PostgreSQL ${cluster.pg.version}, Redis, 4 workflows active in ${((Date.now() - started) / 1000).toFixed(1)} s`);

	// (d) runs beside the others: after the first poll (which only records "now"), two rounds of changes, each
	// followed by one poll.
	const pollRequests = () => polled.requests.filter((r) => r.method === 'GET' && /\/pullrequests$/.test(r.path)).map((r) => r.arrivedAt);
	pollScenario = (async () => {
		const touched: number[][] = [];
		// Open pull requests only: the trigger watches open, merged and declined ones.
		const open = polled.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN').map((p) => p.id);
		for (const ids of [open.slice(0, 3), open.slice(3, 5)]) {
			const seen = pollRequests().length;
			await until('the next poll', () => (pollRequests().length > seen ? true : undefined), 150_000);
			await sleep(2_000);
			polled.touchPullRequests(ids);
			touched.push(ids);
		}
		const seen = pollRequests().length;
		await until('the third poll', () => (pollRequests().length > seen ? true : undefined), 150_000);
		return { polls: pollRequests(), touched };
	})();
	pollScenario.catch(() => undefined);
});

afterAll(async () => {
	await cluster?.stop();
	await Promise.all([burst?.close(), polled?.close()]);
});

describe('queue mode: main + 2 workers on Redis and PostgreSQL', () => {
	it('loads the package in main and in both workers', () => {
		expect(cluster.n8n.loadErrors()).toEqual([]);
		expect(cluster.workers.every((w) => w.alive)).toBe(true);
	});

	it('(a) turns a burst of 200 signed deliveries into 200 executions on both workers; redeliveries add none', async () => {
		const { client } = testClient(burst);
		const repo = { workspace: C.workspace, repo: C.repo };
		const started = Date.now();
		// 20 pull requests created (from 20 new branches) and 180 updated, as fast as the sandbox can deliver.
		const bitbucketRepo = burst.state.repo(C.workspace, C.repo)!;
		// Main registers the trigger's webhook on Bitbucket a moment after it is ready.
		await until('the trigger\'s webhook on Bitbucket', () => (bitbucketRepo.hooks.some((h) => h.url.startsWith(cluster.n8n.baseUrl)) ? true : undefined), 60_000);
		// Only that hook: the seeded one points at a host that does not exist.
		bitbucketRepo.hooks = bitbucketRepo.hooks.filter((h) => h.url.startsWith(cluster.n8n.baseUrl));
		const develop = burst.state.branch(bitbucketRepo, 'develop')!.target.hash;
		await Promise.all(Array.from({ length: 20 }, (_, i) => client.createBranch(repo, `queue/burst-${i}`, { commit: develop })));
		burst.webhooks.clear();
		// Bitbucket gives a delivery 10 s; this 2-core machine runs main, both workers, PostgreSQL, Redis, the two
		// sandboxes and the test at once, so the burst gets 30 s here (npm run bench -- queue measures the real rate).
		burst.webhooks.configure({ timeoutMs: 30_000 });
		await Promise.all([
			...Array.from({ length: 20 }, (_, i) => client.createPullRequest(repo, { title: `Burst ${i}`, sourceBranch: `queue/burst-${i}`, destinationBranch: 'main' })),
			Promise.resolve(burst.touchPullRequests(Array.from({ length: 180 }, (_, i) => i + 1))),
		]);
		await burst.webhooks.idle();
		// Bitbucket resends a delivery not answered within 10 s (at most twice): each event must still start one
		// execution. Every event was answered 200 in the end.
		const attempts = burst.webhooks.attempts;
		const events = [...new Set(attempts.map((a) => a.requestUuid))];
		expect(events).toHaveLength(200);
		expect(events.filter((uuid) => !attempts.some((a) => a.requestUuid === uuid && a.status === 200))).toEqual([]);
		const deliveries = attempts.filter((a) => a.attempt === 1);
		// Exactly one execution per event, resends included.
		const executions = await cluster.waitForExecutions('qWebhookLink', 200);
		await sleep(2_000);
		const seconds = (Date.now() - started) / 1000;
		expect(await cluster.executions('qWebhookLink')).toHaveLength(200);
		expect(executions.every((e) => e.status === 'success' && e.mode === 'webhook')).toBe(true);
		const byWorker = cluster.workers.map((w) => executions.filter((e) => cluster.workerOf(e.id).includes(w.name)).length);
		expect(byWorker.reduce((a, b) => a + b, 0)).toBe(200);
		expect(byWorker.every((n) => n > 0)).toBe(true);
		cluster.note(
			`(a) 200 events → 200 executions in ${seconds.toFixed(1)} s (${(200 / seconds).toFixed(1)}/s end to end), per worker: ${byWorker.join(' / ')}; ` +
				`${attempts.length} delivery attempts (${attempts.length - 200} resent after the delivery timeout), slowest answer ${Math.max(...attempts.map((a) => a.ms))} ms`,
		);

		// Bitbucket's "Resend request" for 20 of them: answered 200, no new execution.
		const resent = burst.webhooks.attempts.length;
		await Promise.all(deliveries.slice(0, 20).map((d) => burst.webhooks.redeliver(d.requestUuid)));
		expect(burst.webhooks.attempts.slice(resent).map((d) => d.status)).toEqual(Array.from({ length: 20 }, () => 200));
		await sleep(3_000);
		expect(await cluster.executions('qWebhookLink')).toHaveLength(200);
		const linked = await rows('def_webhook_prs');
		expect(linked).toHaveLength(200);
		expect(new Set(linked.map((r) => r.SourceKey)).size).toBe(200);
		expect(await duplicates('def_webhook_prs')).toBe(0);
	});

	it('(b) runs 20 concurrent syncs of 1,000 links each, half of them shared: no duplicate row, no failed execution', async () => {
		const started = Date.now();
		const statuses = await Promise.all(Array.from({ length: CALLS }, (_, i) => syncBatch(i * (BATCH / 2))));
		const seconds = (Date.now() - started) / 1000;
		expect(statuses).toEqual(Array.from({ length: CALLS }, () => 200));
		const executions = await cluster.waitForExecutions('qSyncBatch', CALLS);
		expect(executions.map((e) => e.status)).toEqual(Array.from({ length: CALLS }, () => 'success'));
		const byWorker = cluster.workers.map((w) => executions.filter((e) => cluster.workerOf(e.id).includes(w.name)).length);
		expect(byWorker.every((n) => n > 0)).toBe(true);
		const linked = await rows('def_batch');
		const expected = (CALLS - 1) * (BATCH / 2) + BATCH;
		expect(linked).toHaveLength(expected);
		expect(await duplicates('def_batch')).toBe(0);
		expect(linked.every((r) => r.SyncStatus === 'synced' && r.SourceKey === `K-${r.ExternalId}`)).toBe(true);
		cluster.note(`(b) ${CALLS} × ${BATCH} links (${expected} distinct rows) in ${seconds.toFixed(1)} s, per worker: ${byWorker.join(' / ')}; memory MB ${JSON.stringify(cluster.memory())}`);
	});

	it('(c) a worker killed mid-run: its executions fail, and running the syncs again converges without duplicates', async () => {
		const before = (await cluster.executions('qSyncBatch')).length;
		// New keys, so the killed worker's half-done work is visible: the same overlapping pattern further on.
		const offset = 100_000;
		const calls = Array.from({ length: CALLS }, (_, i) => syncBatch(offset + i * (BATCH / 2), 240_000));
		// Kill worker-2 while it runs one of them.
		const victim = cluster.workers[1];
		const running = await until('a sync running on worker-2', async () => {
			const started = new Set(cluster.startedBy(victim));
			const busy = (await cluster.executions('qSyncBatch')).slice(before).filter((e) => e.status === 'running' && started.has(e.id));
			return busy.length > 0 ? busy.map((e) => e.id) : undefined;
		});
		await cluster.kill(victim.name);
		const statuses = await Promise.all(calls);
		const after = await cluster.waitForExecutions('qSyncBatch', before + CALLS, 120_000).then((rows) => rows.slice(before));
		const mainLog = readFileSync(cluster.n8n.serverLogFile, 'utf8');
		const stalled = [...mainLog.matchAll(/job stalled more than maxStalledCount \(execution (\d+)\)/g)].map((m) => m[1]);
		cluster.note(
			`(c) SIGKILL of ${victim.name} while it ran executions ${running.join(', ')}: HTTP answers ${JSON.stringify(countBy(statuses))}; executions ${JSON.stringify(countBy(after.map((e) => e.status)))}; ` +
				`main logged "job stalled more than maxStalledCount" for executions ${stalled.join(', ') || 'none'}, then "This execution failed to be processed too many times and will no longer retry" and answered the webhook 500`,
		);
		// What worker-2 was running did not complete: n8n failed it, and its caller got an error.
		for (const id of running) expect(after.find((e) => e.id === id)?.status).not.toBe('success');
		expect(statuses.filter((s) => s !== 200).length).toBeGreaterThanOrEqual(running.length);

		// The next run (all 20 again, on the surviving worker) converges: every key once, nothing twice.
		const again = await Promise.all(Array.from({ length: CALLS }, (_, i) => syncBatch(offset + i * (BATCH / 2))));
		expect(again).toEqual(Array.from({ length: CALLS }, () => 200));
		const linked = (await rows('def_batch')).filter((r) => Number(r.ExternalId) >= offset);
		expect(linked).toHaveLength((CALLS - 1) * (BATCH / 2) + BATCH);
		expect(await duplicates('def_batch')).toBe(0);
	});

	it('refuses an Axion Sync SQLite credential in queue mode, in the node and in the credential test', async () => {
		const response = await fetch(cluster.webhookUrl('axion-sqlite'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(response.status).toBe(500);
		const [execution] = await cluster.waitForExecutions('qSqlite', 1);
		expect(execution.status).toBe('error');
		const [data] = await cluster.n8nQuery<{ data: string }>('SELECT data FROM execution_data WHERE "executionId" = $1', [execution.id]);
		expect(data.data).toMatch(/n8n runs in queue mode \(EXECUTIONS_MODE=queue\), where every worker would open its own SQLite file/);
		const tested = await cluster.n8n.testCredential({ id: 'axion-sqlite', name: 'Axion Database (SQLite)', type: 'axionDatabase', data: { engine: 'sqlite', sqliteFile: 'axion-sync.sqlite', createTable: true } });
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/queue mode.*File Shared by All Workers/);
	});

	it('(d) the poll trigger polls on main only, once a minute; its executions run on workers; each change once', async () => {
		const { polls, touched } = await pollScenario;
		// One request per poll, the polls apart: were the workers polling too, requests would come in twos and threes.
		const gaps = polls.slice(1).map((t, i) => t - polls[i]);
		expect(gaps.every((gap) => gap > 10_000)).toBe(true);
		const executions = await cluster.waitForExecutions('qPoll', 2, 60_000);
		expect(executions.map((e) => [e.status, e.mode])).toEqual([
			['success', 'trigger'],
			['success', 'trigger'],
		]);
		for (const e of executions) expect(cluster.workerOf(e.id)).toHaveLength(1);
		const linked = await rows('def_polled');
		expect(linked.map((r) => Number(r.ExternalId)).sort((a, b) => a - b)).toEqual(touched.flat().sort((a, b) => a - b));
		expect(await duplicates('def_polled')).toBe(0);
		cluster.note(`(d) ${polls.length} polls, ${gaps.map((g) => `${(g / 1000).toFixed(0)} s`).join(', ')} apart; ${executions.length} executions on ${executions.map((e) => cluster.workerOf(e.id)[0]).join(', ')}`);
	});
});

function countBy(values: ReadonlyArray<string | number>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}
