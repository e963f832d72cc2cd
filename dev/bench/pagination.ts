/**
 * Pagination benchmark: list 5,000 pull requests and 5,000 commits from the sandbox at 20 ms simulated latency.
 * Prints requests and wall time next to the lower bound (ceil(N / max pagelen) requests × latency) and next to a
 * naive client that leaves pagelen at Bitbucket's default of 10.
 */
import { authorizationHeader, secretsOf, type BitbucketAuth } from '../../nodes/shared/bitbucket/auth';
import { BitbucketClient, PAGE_SIZE } from '../../nodes/shared/bitbucket/client';
import { RequestLayer } from '../../nodes/shared/bitbucket/request';
import { httpTransport, timerSleep } from '../../lib/http-transport';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../sandbox/server';

const N = 5000;
const LATENCY_MS = 20;

interface Row {
	what: string;
	items: number;
	requests: number;
	boundRequests: number;
	wallMs: number;
	boundMs: number;
}

const RUNS = 3;

/** One unmeasured warm-up walk (JIT, sandbox page caches), then the median of RUNS measured walks. */
async function measure(sandbox: Sandbox, what: string, maxPageSize: number, run: () => Promise<unknown[]>): Promise<Row> {
	await run();
	const walls: number[] = [];
	let items = 0;
	let requests = 0;
	for (let i = 0; i < RUNS; i++) {
		sandbox.clearRequests();
		const started = performance.now();
		items = (await run()).length;
		walls.push(performance.now() - started);
		requests = sandbox.requests.length;
	}
	const wallMs = walls.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
	const boundRequests = Math.ceil(N / maxPageSize);
	return { what, items, requests, boundRequests, wallMs, boundMs: boundRequests * LATENCY_MS };
}

/** A client that follows next links but never asks for a page size: Bitbucket then sends 10 per page. */
async function naiveWalk(http: RequestLayer, path: string, query: Record<string, string | string[]>): Promise<unknown[]> {
	const values: unknown[] = [];
	let page = await http.page<unknown>(path, query);
	values.push(...page.values);
	while (page.next) {
		page = await http.page<unknown>(path, {}, page.next);
		values.push(...page.values);
	}
	return values;
}

export async function benchPagination(): Promise<Row[]> {
	const sandbox = await startSandbox({ latencyMs: LATENCY_MS, seed: { pullRequests: N, commits: N } });
	try {
		const auth: BitbucketAuth = { type: 'apiToken', email: SANDBOX_CREDENTIALS.apiToken.email, apiToken: SANDBOX_CREDENTIALS.apiToken.token };
		const http = new RequestLayer({
			baseUrl: sandbox.baseUrl,
			transport: httpTransport({ authorization: authorizationHeader(auth) }),
			secrets: secretsOf(auth),
			sleep: timerSleep,
		});
		const client = new BitbucketClient(http);
		const repo = { workspace: SANDBOX_CREDENTIALS.workspace, repo: SANDBOX_CREDENTIALS.repo };
		const states = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;
		const prPath = `/repositories/${repo.workspace}/${repo.repo}/pullrequests`;
		const commitsPath = `/repositories/${repo.workspace}/${repo.repo}/commits`;
		const rows = [
			await measure(sandbox, 'pull requests (this client)', PAGE_SIZE.pullRequests, () => client.listPullRequests(repo, { states: [...states] })),
			await measure(sandbox, 'pull requests (naive, pagelen 10)', PAGE_SIZE.pullRequests, () => naiveWalk(http, prPath, { state: [...states] })),
			await measure(sandbox, 'commits (this client)', PAGE_SIZE.default, () => client.listCommits(repo)),
			await measure(sandbox, 'commits (naive, pagelen 10)', PAGE_SIZE.default, () => naiveWalk(http, commitsPath, {})),
		];
		console.log(`\nPagination: ${N} items each, sandbox latency ${LATENCY_MS} ms per request (median of ${RUNS} walks after a warm-up)`);
		console.table(
			rows.map((r) => ({
				listing: r.what,
				items: r.items,
				requests: r.requests,
				'bound requests': r.boundRequests,
				'wall ms': Math.round(r.wallMs),
				'bound ms': r.boundMs,
				'wall / bound': Number((r.wallMs / r.boundMs).toFixed(2)),
			})),
		);
		return rows;
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	benchPagination().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
