/** The programmatic example of docs/cli-and-client.md, run against the sandbox and a real SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BitbucketClient, sync } from '../../lib';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';

let sandbox: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'axion-example-'));
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
	await sync.closeAllSyncStores();
	rmSync(dir, { recursive: true, force: true });
});

it('lists open PRs, creates one, links it and triggers a pipeline', async () => {
	const bitbucket = BitbucketClient.withAuth({ type: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token }, { baseUrl: sandbox.baseUrl });
	const repo = { workspace: 'technocore_axion', repo: 'axion' };

	const open = await bitbucket.listPullRequests(repo, { states: ['OPEN'] });
	expect(open.length).toBe(sandbox.state.repo(repo.workspace, repo.repo)!.pullRequests.filter((p) => p.state === 'OPEN').length);

	const pr = await bitbucket.createPullRequest(repo, {
		title: 'Adds CSV export for user data',
		sourceBranch: 'feat/user-export',
		destinationBranch: 'develop',
		description: 'Adds CSV export for user data',
		closeSourceBranch: true,
	});
	expect(pr.state).toBe('OPEN');

	const store = await sync.openSyncStore({ engine: 'sqlite', file: join(dir, 'axion-sync.sqlite'), packageName: 'axion' });
	const [linked] = await store.link([
		{ provider: 'bitbucket', sourceTable: 'def_features', sourceKey: 'FEAT-42', externalId: String(pr.id), externalType: 'pullrequest', status: 'synced' },
	]);
	expect(linked.created).toBe(true);
	const [[found]] = await store.findBySource([{ provider: 'bitbucket', sourceTable: 'def_features', sourceKey: 'FEAT-42', externalType: 'pullrequest' }]);
	expect(found.ExternalId).toBe(String(pr.id));

	const pipeline = await bitbucket.triggerPipeline(repo, { kind: 'branch', name: 'develop' }, [{ key: 'DEPLOY_ENV', value: 'staging' }]);
	expect(pipeline.build_number).toBeGreaterThan(0);
	expect(sandbox.requests.at(-1)?.body).toMatchObject({ variables: [{ key: 'DEPLOY_ENV', value: 'staging', secured: false }] });
});
