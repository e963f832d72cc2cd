/**
 * Listing benchmark, at 20 ms simulated latency per request:
 *  - 5,000 pull requests (pages of 50) and 1,200 pipelines (pages of 100), page-numbered collections: the
 *    one-by-one walk (Parallel Requests 1, the code path before pages were fetched ahead) next to pages fetched
 *    4 and 8 at a time, with the request count, duplicates and missing items;
 *  - 5,000 commits, a cursor collection, which stays one page after another whatever the setting;
 *  - the same pull requests through the Bitbucket Cloud node in n8n's execution engine (Get Many, Return All),
 *    full objects and Simplify;
 *  - and in a real n8n (`n8n execute`, the cached installation), where the figure is n8n's own execution time
 *    of the node, next to n8n's HTTP Request node following the `next` links itself.
 * Lower bounds: the one-by-one walk cannot beat requests × latency; fetching P at a time cannot beat the first
 * page plus ceil((requests − 1) / P) rounds. Connections: TCP connections the sandbox saw opened (the client's
 * transport keeps them alive; n8n's HTTP helper opens one per request).
 *
 * Run: `npm run bench -- listing`.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { authorizationHeader, secretsOf, type BitbucketAuth } from '../../nodes/shared/bitbucket/auth';
import { BitbucketClient } from '../../nodes/shared/bitbucket/client';
import { RequestLayer } from '../../nodes/shared/bitbucket/request';
import { httpTransport, timerSleep } from '../../lib/http-transport';
import { bitbucketDemoCredential } from '../n8n/demo';
import { N8nInstance, type WorkflowDefinition } from '../n8n/instance';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../sandbox/server';
import { runBitbucketNode, slug } from './bitbucket-node';

const PULL_REQUESTS = 5000;
const PIPELINES = 1200;
const COMMITS = 5000;
const LATENCY_MS = 20;
const RUNS = 3;

interface Row {
	listing: string;
	items: number;
	duplicates: number;
	missing: number;
	requests: number;
	connections: number;
	wallMs: number;
	/** requests × latency */
	sequentialBoundMs: number;
	/** first page + rounds of P */
	poolBoundMs?: number;
}

interface Walk {
	items: unknown[];
	/** Identity of an item (to count duplicates and missing ones). */
	idOf: (item: unknown) => string | number;
}

/** One unmeasured warm-up (JIT, sandbox page caches), then the best of RUNS measured walks. */
async function measure(sandbox: Sandbox, listing: string, expected: number, pool: number | undefined, run: () => Promise<Walk>): Promise<Row> {
	await run();
	let best: Row | undefined;
	for (let i = 0; i < RUNS; i++) {
		sandbox.clearRequests();
		const started = performance.now();
		const walk = await run();
		const wallMs = performance.now() - started;
		const ids = walk.items.map(walk.idOf);
		const unique = new Set(ids).size;
		const requests = sandbox.requests.length;
		const row: Row = {
			listing,
			items: walk.items.length,
			duplicates: ids.length - unique,
			missing: expected - unique,
			requests,
			connections: sandbox.traffic.connections,
			wallMs,
			sequentialBoundMs: requests * LATENCY_MS,
			poolBoundMs: pool === undefined ? undefined : (1 + Math.ceil((requests - 1) / pool)) * LATENCY_MS,
		};
		if (!best || row.wallMs < best.wallMs) best = row;
	}
	return best as Row;
}

function clientWith(sandbox: Sandbox, concurrency: number): BitbucketClient {
	const auth: BitbucketAuth = { type: 'apiToken', email: SANDBOX_CREDENTIALS.apiToken.email, apiToken: SANDBOX_CREDENTIALS.apiToken.token };
	return new BitbucketClient(
		new RequestLayer({
			baseUrl: sandbox.baseUrl,
			transport: httpTransport({ authorization: authorizationHeader(auth) }),
			secrets: secretsOf(auth),
			sleep: timerSleep,
			concurrency,
		}),
	);
}

const byId = (item: unknown) => (item as { id: number }).id;
const byUuid = (item: unknown) => (item as { uuid: string }).uuid;
const byHash = (item: unknown) => (item as { hash: string }).hash;

async function throughNode(sandbox: Sandbox, parallel: number, simplify: boolean): Promise<INodeExecutionData[]> {
	return await runBitbucketNode(sandbox, {
		resource: 'pullRequest',
		operation: 'getMany',
		workspace: slug(SANDBOX_CREDENTIALS.workspace),
		repository: slug(SANDBOX_CREDENTIALS.repo),
		returnAll: true,
		simplify,
		filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] },
		requestOptions: { parallelRequests: parallel },
	});
}

/**
 * The node's own execution time in a real n8n (runData's executionTime), for the node and for n8n's HTTP Request
 * node paginating by the response's `next` link. Best of RUNS after one warm-up execution each.
 */
async function inRealN8n(sandbox: Sandbox): Promise<Row[]> {
	const n8n = await N8nInstance.create({ log: () => {} });
	try {
		const credential = bitbucketDemoCredential({ kind: 'sandbox', baseUrl: sandbox.baseUrl });
		await n8n.importCredentials([credential]);
		const trigger = { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const workflow = (id: string, node: WorkflowDefinition['nodes'][number]): WorkflowDefinition => ({
			id,
			name: id,
			nodes: [trigger, node],
			connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
		});
		const states = 'state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED';
		const ours = (parallel: number) =>
			workflow(`benchList${parallel}`, {
				id: `list-${parallel}`,
				name: 'List',
				type: 'n8n-nodes-axion-bitbucket.bitbucketCloud',
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					authentication: 'bitbucketCloudApi',
					resource: 'pullRequest',
					operation: 'getMany',
					workspace: slug(SANDBOX_CREDENTIALS.workspace),
					repository: slug(SANDBOX_CREDENTIALS.repo),
					returnAll: true,
					simplify: false,
					filters: { state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] },
					requestOptions: { parallelRequests: parallel },
				},
				credentials: { bitbucketCloudApi: { id: credential.id, name: credential.name } },
			});
		const httpRequest = workflow('benchListHttp', {
			id: 'list-http',
			name: 'List',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [200, 0],
			parameters: {
				url: `${sandbox.baseUrl}/repositories/${SANDBOX_CREDENTIALS.workspace}/${SANDBOX_CREDENTIALS.repo}/pullrequests?pagelen=50&${states}`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'bitbucketCloudApi',
				options: {
					pagination: {
						pagination: {
							paginationMode: 'responseContainsNextURL',
							nextURL: '={{ $response.body.next }}',
							paginationCompleteWhen: 'other',
							completeExpression: '={{ !$response.body.next }}',
						},
					},
				},
			},
			credentials: { bitbucketCloudApi: { id: credential.id, name: credential.name } },
		});
		const workflows = [ours(1), ours(4), ours(8), httpRequest];
		await n8n.importWorkflows(workflows);
		const rows: Row[] = [];
		for (const wf of workflows) {
			let best: Row | undefined;
			for (let run = 0; run <= RUNS; run++) {
				sandbox.clearRequests();
				const result = await n8n.execute(wf.id);
				if (!result.ok) throw new Error(`${wf.id}: ${result.error?.message ?? 'failed'}`);
				const runData = result.runData.List?.[0];
				const items = (runData?.data?.main?.[0] ?? []).flatMap((item) => {
					const body = item.json as { values?: unknown[] };
					return wf === httpRequest ? (body.values ?? []) : [item.json];
				});
				const requests = sandbox.requests.length;
				const parallel = wf === httpRequest ? undefined : Number(wf.id.replace('benchList', ''));
				const row: Row = {
					listing: `${PULL_REQUESTS} pull requests, real n8n: ${wf === httpRequest ? "n8n's HTTP Request node, next-URL pagination" : `node Get Many, Parallel ${parallel}`}`,
					items: items.length,
					duplicates: items.length - new Set(items.map(byId)).size,
					missing: PULL_REQUESTS - new Set(items.map(byId)).size,
					requests,
					connections: sandbox.traffic.connections,
					wallMs: runData?.executionTime ?? Number.NaN,
					sequentialBoundMs: requests * LATENCY_MS,
					poolBoundMs: parallel && parallel > 1 ? (1 + Math.ceil((requests - 1) / parallel)) * LATENCY_MS : undefined,
				};
				if (run > 0 && (!best || row.wallMs < best.wallMs)) best = row;
			}
			rows.push(best as Row);
		}
		return rows;
	} finally {
		await n8n.dispose();
	}
}

export async function benchListing(): Promise<Row[]> {
	const sandbox = await startSandbox({ latencyMs: LATENCY_MS, seed: { pullRequests: PULL_REQUESTS, commits: COMMITS, pipelines: PIPELINES } });
	try {
		const repo = { workspace: SANDBOX_CREDENTIALS.workspace, repo: SANDBOX_CREDENTIALS.repo };
		const states = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;
		const rows: Row[] = [];
		for (const pool of [1, 4, 8]) {
			const client = clientWith(sandbox, pool);
			rows.push(
				await measure(sandbox, `${PULL_REQUESTS} pull requests, client, ${pool === 1 ? 'one page after another' : `${pool} pages at a time`}`, PULL_REQUESTS, pool === 1 ? undefined : pool, async () => ({
					items: await client.listPullRequests(repo, { states: [...states] }),
					idOf: byId,
				})),
			);
		}
		for (const pool of [1, 4, 8]) {
			const client = clientWith(sandbox, pool);
			rows.push(
				await measure(sandbox, `${PIPELINES} pipelines, client, ${pool === 1 ? 'one page after another' : `${pool} pages at a time`}`, PIPELINES, pool === 1 ? undefined : pool, async () => ({
					items: await client.listPipelines(repo),
					idOf: byUuid,
				})),
			);
		}
		const cursorClient = clientWith(sandbox, 8);
		rows.push(
			await measure(sandbox, `${COMMITS} commits (cursor pages), client, Parallel 8`, COMMITS, undefined, async () => ({
				items: await cursorClient.listCommits(repo),
				idOf: byHash,
			})),
		);
		for (const [pool, simplify] of [
			[1, false],
			[4, false],
			[8, false],
			[8, true],
		] as const) {
			rows.push(
				await measure(
					sandbox,
					`${PULL_REQUESTS} pull requests, node Get Many in n8n's engine, Parallel ${pool}${simplify ? ', Simplify' : ''}`,
					PULL_REQUESTS,
					pool === 1 ? undefined : pool,
					async () => ({ items: (await throughNode(sandbox, pool, simplify)).map((i) => i.json), idOf: byId }),
				),
			);
		}

		rows.push(...(await inRealN8n(sandbox)));

		console.log(`\nListing: sandbox latency ${LATENCY_MS} ms per request, best of ${RUNS} after a warm-up`);
		console.table(
			rows.map((r) => ({
				listing: r.listing,
				items: r.items,
				dup: r.duplicates,
				missing: r.missing,
				requests: r.requests,
				connections: r.connections,
				'wall ms': Math.round(r.wallMs),
				'× sequential bound': Number((r.wallMs / r.sequentialBoundMs).toFixed(2)),
				'pool bound ms': r.poolBoundMs ?? '',
			})),
		);
		return rows;
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	benchListing().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
