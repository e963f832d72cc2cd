/**
 * Per-item benchmark: 500 "Get pull request" items through the Bitbucket Cloud node in n8n's execution engine
 * (in-process, as the node tests run it), at Parallel Requests 1, 4, 8 and 16, 20 ms simulated latency:
 *  - without a rate limit: wall time, speed-up over 1, whether the output kept the input's order;
 *  - under a steady sandbox rate limit of one 429 in every 20 requests (no Retry-After; the node waits 20 ms,
 *    doubling): wall time and the number of 429s, which concurrency must not multiply.
 * Connections: what the sandbox saw opened. n8n's HTTP helper opens one per request (it builds a new agent
 * for each), so this figure is n8n's, not the pool's.
 *
 * Run: `npm run bench -- items`.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../sandbox/server';
import { runBitbucketNode, slug } from './bitbucket-node';

const ITEMS = 500;
const LATENCY_MS = 20;
const RATE_LIMIT_EVERY = 20;
const RUNS = 2;

interface Row {
	parallel: number;
	rateLimited: boolean;
	wallMs: number;
	requests: number;
	tooManyRequests: number;
	connections: number;
	maxInFlight: number;
	ordered: boolean;
}

async function getEach(sandbox: Sandbox, parallel: number): Promise<INodeExecutionData[]> {
	const ids = Array.from({ length: ITEMS }, (_, i) => (i % 120) + 1);
	const items = await runBitbucketNode(
		sandbox,
		{
			resource: 'pullRequest',
			operation: 'get',
			workspace: slug(SANDBOX_CREDENTIALS.workspace),
			repository: slug(SANDBOX_CREDENTIALS.repo),
			pullRequest: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			requestOptions: { parallelRequests: parallel },
			rateLimiting: { rateLimitWaitSeconds: 0.02, maxRetries: 10 },
		},
		ids.map((id) => ({ json: { id } })),
	);
	const order = items.map((item) => (item.json as { id: number }).id);
	if (order.some((id, i) => id !== ids[i])) throw new Error(`Parallel ${parallel}: the output is not in the input's order`);
	return items;
}

async function measure(sandbox: Sandbox, parallel: number, rateLimited: boolean): Promise<Row> {
	let best: Row | undefined;
	for (let run = 0; run < RUNS; run++) {
		sandbox.clearRequests();
		sandbox.setRateLimit(rateLimited ? { every: RATE_LIMIT_EVERY } : undefined);
		const started = performance.now();
		const items = await getEach(sandbox, parallel);
		const wallMs = performance.now() - started;
		const row: Row = {
			parallel,
			rateLimited,
			wallMs,
			requests: sandbox.requests.length,
			tooManyRequests: sandbox.requests.filter((r) => r.status === 429).length,
			connections: sandbox.traffic.connections,
			maxInFlight: sandbox.traffic.maxInFlight,
			ordered: items.length === ITEMS,
		};
		if (!best || row.wallMs < best.wallMs) best = row;
	}
	sandbox.setRateLimit(undefined);
	return best as Row;
}

export async function benchItems(): Promise<Row[]> {
	const sandbox = await startSandbox({ latencyMs: LATENCY_MS });
	try {
		await getEach(sandbox, 8); // warm-up
		const rows: Row[] = [];
		for (const rateLimited of [false, true]) for (const parallel of [1, 4, 8, 16]) rows.push(await measure(sandbox, parallel, rateLimited));
		console.log(`\nPer item: ${ITEMS} Get Pull Request items in n8n's engine, sandbox latency ${LATENCY_MS} ms, best of ${RUNS}`);
		console.table(
			rows.map((r) => {
				const one = rows.find((o) => o.parallel === 1 && o.rateLimited === r.rateLimited) as Row;
				return {
					'rate limit': r.rateLimited ? `1 in ${RATE_LIMIT_EVERY}` : 'none',
					'parallel requests': r.parallel,
					'wall ms': Math.round(r.wallMs),
					'speed-up': Number((one.wallMs / r.wallMs).toFixed(1)),
					requests: r.requests,
					'429s': r.tooManyRequests,
					'max in flight': r.maxInFlight,
					connections: r.connections,
					'order kept': r.ordered,
				};
			}),
		);
		return rows;
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	benchItems().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
