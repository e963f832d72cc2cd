/**
 * One scheduled sync run, two ways, on a repository with 5,000 pull requests of which 10 changed since the last
 * run (20 ms simulated latency per request):
 *  - the full re-list the example used to do: Get Many (Return All) → Look Up Many (unknown only) → Link Record;
 *  - the poll trigger: one `updated_on >= watermark` query → Link Record of what it emitted.
 * Both through n8n-core's engine and the real nodes; requests counted by the sandbox, wall time of the run.
 * Part of `npm run bench -- sync`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { AxionDatabase } from '../../credentials/AxionDatabase.credentials';
import { AxionSync } from '../../nodes/AxionSync/AxionSync.node';
import { BitbucketCloud } from '../../nodes/BitbucketCloud/BitbucketCloud.node';
import { BitbucketCloudPollTrigger } from '../../nodes/BitbucketCloudPollTrigger/BitbucketCloudPollTrigger.node';
import { closeAllSyncStores } from '../../nodes/shared/sync';
import { createPoller, registerCredentialType, runChain, runNode } from '../n8n/engine';
import { SANDBOX_CREDENTIALS as C, startSandbox } from '../sandbox/server';

const PULL_REQUESTS = 5_000;
const CHANGED = 10;
const LATENCY_MS = 20;

const rl = (value: string) => ({ __rl: true, mode: 'slug', value });

export interface PollSyncFigure {
	run: string;
	requests: number;
	ms: number;
	linked: number;
}

export async function benchPollSync(): Promise<PollSyncFigure[]> {
	registerCredentialType(new AxionDatabase());
	const sandbox = await startSandbox({ latencyMs: LATENCY_MS, seed: { pullRequests: PULL_REQUESTS, commits: 300 } });
	const dir = mkdtempSync(join(tmpdir(), 'axion-poll-bench-'));
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		bitbucketCloudApi: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, baseUrl: sandbox.baseUrl },
		axionDatabase: { engine: 'sqlite', sqliteFile: join(dir, 'sync.sqlite'), packageName: 'axion' },
	};
	const repoParams = { workspace: rl(C.workspace), repository: rl(C.repo) };
	const link = {
		name: 'Link pull request',
		type: 'n8n-nodes-axion-bitbucket.axionSync',
		nodeType: new AxionSync(),
		parameters: { operation: 'linkRecord', sourceTable: 'def_pull_requests', sourceKey: '={{ $json.id }}', externalId: '={{ $json.id }}', externalType: 'pullrequest', status: 'synced' },
		credentials: ['axionDatabase'],
	};
	const figures: PollSyncFigure[] = [];
	try {
		const fullRun = () =>
			runChain(
				[
					{
						name: 'Get open pull requests',
						type: 'n8n-nodes-axion-bitbucket.bitbucketCloud',
						nodeType: new BitbucketCloud(),
						parameters: { resource: 'pullRequest', operation: 'getMany', ...repoParams, returnAll: true, filters: { state: ['OPEN', 'MERGED', 'DECLINED'] }, simplify: true },
						credentials: ['bitbucketCloudApi'],
					},
					{
						name: 'Keep only new pull requests',
						type: 'n8n-nodes-axion-bitbucket.axionSync',
						nodeType: new AxionSync(),
						parameters: { operation: 'lookUpMany', lookUpBy: 'external', externalId: '={{ $json.id }}', sourceTable: 'def_pull_requests', externalType: 'pullrequest', output: 'unknown', options: {} },
						credentials: ['axionDatabase'],
					},
					link,
				],
				{ credentials },
			);
		// The first run links everything; the measured run is a later one, with 10 pull requests changed.
		await fullRun();
		const poller = createPoller(
			{ type: 'n8n-nodes-axion-bitbucket.bitbucketCloudPollTrigger', nodeType: new BitbucketCloudPollTrigger(), parameters: { ...repoParams, watch: 'pullRequests', states: ['OPEN', 'MERGED', 'DECLINED'], simplify: true }, credentials: ['bitbucketCloudApi'] },
			{ credentials },
		);
		await poller.poll();
		const ids = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.slice(0, CHANGED).map((p) => p.id);
		sandbox.touchPullRequests(ids);

		sandbox.clearRequests();
		const fullStarted = performance.now();
		const full = await fullRun();
		figures.push({
			run: 'full re-list (Get Many → Look Up Many → Link Record)',
			requests: sandbox.requests.length,
			ms: performance.now() - fullStarted,
			linked: full.output['Link pull request']?.length ?? 0,
		});

		sandbox.clearRequests();
		const pollStarted = performance.now();
		const emitted: INodeExecutionData[] = (await poller.poll()) ?? [];
		const linked = emitted.length ? await runNode({ ...link }, { credentials, items: emitted }) : undefined;
		figures.push({ run: 'poll trigger (changes only → Link Record)', requests: sandbox.requests.length, ms: performance.now() - pollStarted, linked: linked?.items.length ?? 0 });
		if (emitted.length !== CHANGED) throw new Error(`the poll emitted ${emitted.length} pull requests, expected ${CHANGED}`);
	} finally {
		await closeAllSyncStores();
		await sandbox.close();
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(`\nOne scheduled sync run: ${PULL_REQUESTS.toLocaleString('en')} pull requests, ${CHANGED} changed since the last run, ${LATENCY_MS} ms per request`);
	console.log('| run | Bitbucket requests | wall time | pull requests linked |');
	console.log('|---|---|---|---|');
	for (const f of figures) console.log(`| ${f.run} | ${f.requests} | ${Math.round(f.ms).toLocaleString('en')} ms | ${f.linked} |`);
	return figures;
}
