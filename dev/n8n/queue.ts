/**
 * n8n in queue mode, started from nothing for tests and benchmarks: a PostgreSQL server (n8n's database, and a
 * second database for the Axion sync table), Redis, one main process and N workers, all with this package
 * installed (one shared user folder), on free loopback ports. See docs/queue-mode.md for what each setting is for.
 *
 *   const cluster = await QueueCluster.start({ workers: 2 });
 *   await cluster.n8n.importCredentials(…); await cluster.n8n.importWorkflows(…); await cluster.publish(id);
 *   await cluster.startProcesses(); await cluster.waitForWebhooks(3);
 *   … POST to cluster.webhookUrl(path), read cluster.executions(id), cluster.workerOf(executionId) …
 *   await cluster.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import { startPostgres, type PostgresServer } from '../postgres';
import { startRedis, type RedisServer } from '../redis';
import { freePort, sleep } from '../system';
import type { IDataObject } from 'n8n-workflow';

import { signalProcess } from './exec';
import { N8nInstance, type WorkflowDefinition, type WorkflowNode } from './instance';

export interface QueueWorker {
	name: string;
	pid: number | undefined;
	healthPort: number;
	logFile: string;
	alive: boolean;
}

export type ExecutionRow = {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: Date | null;
	stoppedAt: Date | null;
};

export interface QueueClusterOptions {
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`); default 5. */
	concurrency?: number;
	log?: (line: string) => void;
	/** More environment for every process. */
	env?: Record<string, string>;
}

/** The database the Axion Sync node writes in, next to n8n's own. */
export const AXION_DATABASE = 'axion';

/** A workflow node (type version 1 unless `extra` says otherwise); its id is derived from its name. */
export function workflowNode(name: string, type: string, parameters: IDataObject, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: name.toLowerCase().replace(/\W+/g, '-'), name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

/** A workflow whose first node (a trigger or a webhook) runs the next, and so on. */
export function pipeline(id: string, nodes: WorkflowNode[]): WorkflowDefinition {
	const connections: WorkflowDefinition['connections'] = {};
	nodes.slice(0, -1).forEach((n, i) => (connections[n.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }));
	return { id, name: id, nodes: nodes.map((n, i) => ({ ...n, position: [i * 220, 0] })), connections, settings: { executionOrder: 'v1' } };
}

export class QueueCluster {
	readonly workers: QueueWorker[] = [];

	private readonly children = new Map<string, ChildProcess>();

	private readonly exits = new Map<string, Promise<void>>();

	private constructor(
		readonly n8n: N8nInstance,
		readonly pg: PostgresServer,
		readonly redis: RedisServer,
		private readonly options: Required<Pick<QueueClusterOptions, 'workers' | 'concurrency'>> & { log: (line: string) => void },
	) {}

	/** PostgreSQL, Redis and the n8n user folder (package installed); no n8n process runs yet. */
	static async start(options: QueueClusterOptions = {}): Promise<QueueCluster> {
		const log = options.log ?? ((line: string) => console.log(line));
		const [pg, redis] = await Promise.all([startPostgres({ database: 'n8n' }), startRedis()]);
		const admin = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${AXION_DATABASE}`);
		await admin.end();
		const n8n = await N8nInstance.create({ log, env: { ...QueueCluster.environment(pg, redis), ...options.env } });
		return new QueueCluster(n8n, pg, redis, { workers: options.workers ?? 2, concurrency: options.concurrency ?? 5, log });
	}

	/** What every n8n process of a queue-mode deployment shares (docs/queue-mode.md explains each). */
	static environment(pg: Pick<PostgresServer, 'host' | 'port' | 'user' | 'password' | 'database'>, redis: Pick<RedisServer, 'host' | 'port'>): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: pg.password,
			// n8n's default pool is 2 connections: a burst of webhooks on main then waits for the database.
			DB_POSTGRESDB_POOL_SIZE: '10',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// A dead worker's jobs are noticed after the lock expires: 60 s by default, 10 s here.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
		};
	}

	/** Activates a workflow (`n8n publish:workflow`); before the processes start, or picked up live. */
	async publish(workflowId: string): Promise<void> {
		await this.n8n.runOk(['publish:workflow', `--id=${workflowId}`]);
	}

	/** Starts main (waits for readiness) and the workers (each waits for its health endpoint). */
	async startProcesses(): Promise<void> {
		await Promise.all([this.n8n.start(), ...Array.from({ length: this.options.workers }, (_, i) => this.startWorker(`worker-${i + 1}`))]);
	}

	async startWorker(name: string): Promise<QueueWorker> {
		const healthPort = await freePort();
		const logFile = join(this.n8n.logDir, `${name}.log`);
		const fd = openSync(logFile, 'a');
		const child = spawn(this.n8n.installation.nodeBin, [this.n8n.installation.n8nBin, 'worker', `--concurrency=${this.options.concurrency}`], {
			cwd: this.n8n.root,
			env: this.n8n.env({
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_LOG_FILE_LOCATION: join(this.n8n.logDir, `${name}-n8n.log`),
			}),
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		const worker: QueueWorker = { name, pid: child.pid, healthPort, logFile, alive: true };
		this.workers.push(worker);
		this.children.set(name, child);
		this.exits.set(
			name,
			new Promise<void>((resolve) =>
				child.on('exit', () => {
					worker.alive = false;
					resolve();
				}),
			),
		);
		const started = Date.now();
		for (;;) {
			if (!worker.alive) throw this.n8n.failure(`n8n worker ${name} exited before it was ready:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
			if (Date.now() - started > 120_000) throw this.n8n.failure(`n8n worker ${name} was not ready within 120 s`);
			const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) }).then(
				(r) => r.ok,
				() => false,
			);
			if (ready) break;
			await sleep(250);
		}
		this.options.log(`[queue] ${name} ready (${((Date.now() - started) / 1000).toFixed(1)} s, pid ${child.pid})`);
		return worker;
	}

	/** SIGKILL: the worker dies at once, its jobs mid-run. */
	async kill(name: string): Promise<void> {
		const child = this.children.get(name);
		signalProcess(child?.pid, 'SIGKILL');
		await this.exits.get(name);
	}

	/** A query on n8n's own database. */
	async n8nQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
		return await this.query<T>(this.pg.database, sql, params);
	}

	/** A query on the Axion database (the sync table). */
	async axionQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
		return await this.query<T>(AXION_DATABASE, sql, params);
	}

	private async query<T extends Record<string, unknown>>(database: string, sql: string, params: unknown[]): Promise<T[]> {
		const client = new Client({ host: this.pg.host, port: this.pg.port, user: this.pg.user, password: this.pg.password, database });
		await client.connect();
		try {
			return (await client.query<T>(sql, params)).rows;
		} finally {
			await client.end();
		}
	}

	/** Waits until main registered at least `count` production webhooks (it reports ready a moment before). */
	async waitForWebhooks(count: number, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [row] = await this.n8nQuery<{ n: string }>('SELECT count(*) AS n FROM webhook_entity');
			if (Number(row.n) >= count) return;
			if (Date.now() > deadline) throw this.n8n.failure(`main registered ${row.n} of ${count} webhooks within ${timeoutMs / 1000} s`);
			await sleep(250);
		}
	}

	webhookUrl(path: string): string {
		return `${this.n8n.baseUrl}/webhook/${path}`;
	}

	async executions(workflowId: string): Promise<ExecutionRow[]> {
		return await this.n8nQuery<ExecutionRow>(
			`SELECT id::text AS id, "workflowId", status, mode, finished, "startedAt", "stoppedAt" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`,
			[workflowId],
		);
	}

	/** Waits until `count` executions of a workflow have ended (success, error, crashed, canceled). */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 120_000): Promise<ExecutionRow[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const rows = await this.executions(workflowId);
			const ended = rows.filter((r) => !['new', 'running', 'waiting'].includes(r.status));
			if (ended.length >= count) return rows;
			if (Date.now() > deadline) {
				throw this.n8n.failure(`${ended.length} of ${count} executions of ${workflowId} ended within ${timeoutMs / 1000} s (statuses: ${rows.map((r) => r.status).join(', ')})`);
			}
			await sleep(250);
		}
	}

	/** Which worker ran an execution, from the workers' logs ("Worker started execution <id>"). */
	workerOf(executionId: string): string[] {
		return this.workers.filter((w) => this.startedBy(w).includes(executionId)).map((w) => w.name);
	}

	/** The execution ids a worker logged as started. */
	startedBy(worker: QueueWorker): string[] {
		if (!existsSync(worker.logFile)) return [];
		return [...readFileSync(worker.logFile, 'utf8').matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}

	/** Resident memory of main and each live worker (their task-runner children not counted), in MB. */
	memory(): Record<string, number> {
		const rss = (pid: number | undefined) => {
			if (pid === undefined || !existsSync(`/proc/${pid}/status`)) return 0;
			const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			return match ? Math.round(Number(match[1]) / 1024) : 0;
		};
		const result: Record<string, number> = { main: rss(this.n8n.serverPid) };
		for (const w of this.workers) if (w.alive) result[w.name] = rss(w.pid);
		return result;
	}

	async stop(): Promise<void> {
		for (const worker of this.workers) if (worker.alive) signalProcess(worker.pid, 'SIGTERM');
		await Promise.race([Promise.all(this.exits.values()), sleep(20_000)]);
		for (const worker of this.workers) if (worker.alive) signalProcess(worker.pid, 'SIGKILL');
		await this.n8n.dispose();
		await Promise.allSettled([this.redis.stop(), this.pg.stop()]);
	}

	/** Records a line in the main log folder (what a test observed, for whoever reads the logs). */
	note(line: string): void {
		writeFileSync(join(this.n8n.logDir, 'observations.log'), `${new Date().toISOString()} ${line}\n`, { flag: 'a' });
		this.options.log(`[queue] ${line}`);
	}
}
