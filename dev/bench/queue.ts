/**
 * Queue-mode benchmark (dev/n8n/queue.ts starts PostgreSQL, Redis, main and workers):
 *  - webhook deliveries per second end to end (delivery sent → execution finished on a worker), for the
 *    Bitbucket Cloud Trigger (signature check, redelivery memory) next to n8n's own Webhook node, both followed
 *    by the same Axion Sync Link Record; bursts of 50 and 200 concurrent deliveries;
 *  - 20 concurrent sync executions of 1,000 links each (half of them shared), with 1 worker and with 2.
 * Prints the figures and the processes' memory. Run: `npm run bench -- queue`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';

import { AXION_DATABASE, pipeline, QueueCluster, workflowNode } from '../n8n/queue';
import type { N8nCredential } from '../n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox } from '../sandbox/server';
import { sleep } from '../system';

const PACKAGE = 'n8n-nodes-axion-bitbucket';

interface Row {
	what: string;
	count: number;
	seconds: number;
	perSecond: number;
	note: string;
}

export async function benchQueue(): Promise<Row[]> {
	const sandbox = await startSandbox({ seed: { pullRequests: 250 } });
	const cluster = await QueueCluster.start({ workers: 2, log: () => {} });
	const rows: Row[] = [];
	try {
		const axion: N8nCredential = {
			id: 'axion-pg',
			name: 'Axion Database (PostgreSQL)',
			type: 'axionDatabase',
			data: { engine: 'postgres', host: cluster.pg.host, port: cluster.pg.port, database: AXION_DATABASE, user: cluster.pg.user, password: cluster.pg.password, ssl: 'disable', createTable: true },
		};
		const bitbucket: N8nCredential = {
			id: 'bb',
			name: 'Bitbucket',
			type: 'bitbucketCloudApi',
			data: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, workspace: C.workspace, repository: C.repo, baseUrl: sandbox.baseUrl },
		};
		const link = (sourceTable: string, key: string) =>
			workflowNode('Link', `${PACKAGE}.axionSync`, { operation: 'linkRecord', provider: 'bitbucket', status: 'synced', sourceTable, sourceKey: key, externalId: key, externalType: 'pullrequest' }, {
				credentials: { axionDatabase: { id: axion.id, name: axion.name } },
			});
		const webhook = (path: string, responseMode: string) =>
			workflowNode('Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode, responseData: 'firstEntryJson', options: {} }, { typeVersion: 2, webhookId: path });
		await cluster.n8n.importCredentials([axion, bitbucket]);
		await cluster.n8n.importWorkflows([
			pipeline('bTrigger', [
				workflowNode(
					'Bitbucket Cloud Trigger',
					`${PACKAGE}.bitbucketCloudTrigger`,
					{ authentication: 'bitbucketCloudApi', subject: 'repository', workspace: { __rl: true, mode: 'slug', value: C.workspace }, repository: { __rl: true, mode: 'slug', value: C.repo }, events: ['pullrequest:updated'], options: { simplify: true } },
					{ webhookId: 'bench-bitbucket', credentials: { bitbucketCloudApi: { id: bitbucket.id, name: bitbucket.name } } },
				),
				link('def_trigger', '={{ $json.pullRequestId }}'),
			]),
			pipeline('bWebhook', [webhook('bench-plain', 'onReceived'), link('def_plain', '={{ $json.body.pullrequest.id }}')]),
			pipeline('bSync', [
				webhook('bench-sync', 'lastNode'),
				workflowNode('Keys', 'n8n-nodes-base.set', { assignments: { assignments: [{ id: 'k', name: 'keys', value: '={{ Array.from({ length: 1000 }, (_, i) => $json.body.offset + i) }}', type: 'array' }] }, options: {} }, { typeVersion: 3.4 }),
				workflowNode('Split', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'keys', options: {} }),
				link('def_sync', "={{ 'K-' + $json.keys }}"),
			]),
		]);
		for (const id of ['bTrigger', 'bWebhook', 'bSync']) await cluster.publish(id);
		await cluster.startProcesses();
		await cluster.waitForWebhooks(3);
		const repo = sandbox.state.repo(C.workspace, C.repo)!;
		for (let i = 0; i < 600 && !repo.hooks.some((h) => h.url.startsWith(cluster.n8n.baseUrl)); i++) await sleep(100);
		const hook = repo.hooks.find((h) => h.url.startsWith(cluster.n8n.baseUrl));
		if (!hook?.secret) throw new Error('the trigger registered no webhook');

		/** `count` deliveries at once, signed as Bitbucket signs them; time until their executions ended. */
		const burst = async (workflowId: string, url: string, count: number, offset: number): Promise<{ seconds: number; slowest: number; failed: number }> => {
			const before = (await cluster.executions(workflowId)).length;
			const started = Date.now();
			const answers = await Promise.all(
				Array.from({ length: count }, async (_, i) => {
					const body = JSON.stringify({ pullrequest: { id: offset + i, title: `PR ${offset + i}`, state: 'OPEN' }, repository: { full_name: `${C.workspace}/${C.repo}` } });
					const sent = Date.now();
					const response = await fetch(url, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							'x-event-key': 'pullrequest:updated',
							'x-request-uuid': randomUUID(),
							'x-hook-uuid': hook.uuid.replace(/[{}]/g, ''),
							'x-attempt-number': '1',
							'x-hub-signature': `sha256=${createHmac('sha256', hook.secret as string).update(body).digest('hex')}`,
						},
						body,
						signal: AbortSignal.timeout(120_000),
					}).catch(() => undefined);
					await response?.text();
					return { ok: response?.status === 200, ms: Date.now() - sent };
				}),
			);
			await cluster.waitForExecutions(workflowId, before + answers.filter((a) => a.ok).length, 300_000);
			return { seconds: (Date.now() - started) / 1000, slowest: Math.max(...answers.map((a) => a.ms)), failed: answers.filter((a) => !a.ok).length };
		};
		let offset = 1;
		for (const count of [50, 200]) {
			for (const [what, id, url] of [
				['Bitbucket Cloud Trigger → Link Record', 'bTrigger', `${cluster.webhookUrl('bench-bitbucket')}/webhook`],
				["n8n's Webhook node → Link Record", 'bWebhook', cluster.webhookUrl('bench-plain')],
			] as const) {
				const result = await burst(id, url, count, offset);
				offset += count;
				rows.push({ what: `${count} deliveries at once: ${what}`, count, seconds: result.seconds, perSecond: count / result.seconds, note: `slowest answer ${(result.slowest / 1000).toFixed(1)} s, ${result.failed} not answered 200` });
			}
		}

		const syncs = async (label: string, base: number) => {
			const started = Date.now();
			const statuses = await Promise.all(
				Array.from({ length: 20 }, async (_, i) =>
					(await fetch(cluster.webhookUrl('bench-sync'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offset: base + i * 500 }), signal: AbortSignal.timeout(300_000) })).status,
				),
			);
			const seconds = (Date.now() - started) / 1000;
			rows.push({ what: `20 syncs × 1,000 links, ${label}`, count: 20_000, seconds, perSecond: 20_000 / seconds, note: `${statuses.filter((s) => s === 200).length}/20 answered 200` });
		};
		await syncs('2 workers', 0);
		const memory = cluster.memory();
		await cluster.kill(cluster.workers[1].name);
		await syncs('1 worker', 1_000_000);

		console.log(`\nQueue mode: main + workers (concurrency 5) on this machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB; PostgreSQL ${cluster.pg.version}, Redis`);
		console.table(rows.map((r) => ({ what: r.what, seconds: Number(r.seconds.toFixed(1)), 'per second': Number(r.perSecond.toFixed(1)), note: r.note })));
		console.log(`Resident memory after the 2-worker syncs (MB, task-runner children not counted): ${JSON.stringify(memory)}`);
		return rows;
	} finally {
		await cluster.stop();
		await sandbox.close();
	}
}

if (require.main === module) {
	benchQueue().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
