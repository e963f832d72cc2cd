/**
 * Several processes writing overlapping links at once, like n8n queue-mode workers: 4 processes × 5,000
 * links on each engine, every key written by two processes, the table not yet created when they start.
 * Expect exactly one row per key, each created exactly once, no errors.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { openSyncStore, type SyncEngine, type SyncStoreConfig } from '../../nodes/shared/sync';
import { ENGINES, startSyncFixture, type SyncFixture } from './support';

jest.setTimeout(120_000);

const WORKERS = 4;
const PER_WORKER = 5000;
const DISTINCT = 10_000;
const BATCH = 500;

interface WorkerResult {
	created: number;
	updated: number;
	errors: string[];
}

let fx: SyncFixture;
beforeAll(async () => {
	fx = await startSyncFixture();
});
afterAll(async () => {
	await fx?.close();
});

function startWorker(config: SyncStoreConfig, worker: number): { child: ChildProcess; ready: Promise<void>; done: Promise<WorkerResult> } {
	const job = { config, worker, start: worker * (DISTINCT / WORKERS), count: PER_WORKER, modulo: DISTINCT, batch: BATCH };
	const child = fork(join(__dirname, 'link-worker.js'), [], {
		env: { ...process.env, AXION_WORKER_JOB: JSON.stringify(job) },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let onReady: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => (onReady = resolve));
	const done = new Promise<WorkerResult>((resolve, reject) => {
		child.on('message', (m: { type: string } & WorkerResult) => {
			if (m.type === 'ready') onReady();
			if (m.type === 'done') resolve(m);
		});
		child.on('exit', (code) => reject(new Error(`worker ${worker} exited with ${code} before reporting`)));
		child.on('error', reject);
	});
	return { child, ready, done };
}

describe.each(ENGINES)('concurrent writers on %s', (engine: SyncEngine) => {
	test(`${WORKERS} processes × ${PER_WORKER} overlapping links: exact row count, each row created once, no errors`, async () => {
		const table = fx.freshTable('conc');
		const config = fx.config(engine, { table });
		const workers = Array.from({ length: WORKERS }, (_, w) => startWorker(config, w));
		try {
			await Promise.all(workers.map((w) => w.ready));
			for (const w of workers) w.child.send({ type: 'go' });
			const results = await Promise.all(workers.map((w) => w.done));

			expect(results.flatMap((r) => r.errors)).toEqual([]);
			expect(results.reduce((n, r) => n + r.created + r.updated, 0)).toBe(WORKERS * PER_WORKER);
			// Each key is created by exactly one of the two processes that write it.
			expect(results.reduce((n, r) => n + r.created, 0)).toBe(DISTINCT);

			const store = await openSyncStore(config, { cache: false });
			try {
				const rows = await store.list({});
				expect(rows).toHaveLength(DISTINCT);
				expect(new Set(rows.map((r) => r.SourceKey)).size).toBe(DISTINCT);
				expect(new Set(rows.map((r) => r.Guid)).size).toBe(DISTINCT);
			} finally {
				await store.close();
			}
		} finally {
			for (const w of workers) if (w.child.exitCode === null) w.child.kill();
		}
	});
});
