/**
 * The example workflows (examples/workflows/*.json), imported into a real n8n exactly as a user would
 * import them (same credential ids as the demo: `bitbucket-sandbox`, `axion-sqlite`), executed headless
 * against the Bitbucket sandbox, with the def_integration_sync rows they wrote read back from the SQLite file
 * (node:sqlite) in the instance's n8n folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { findPackageRoot } from '../../dev/n8n/exec';
import { ConfigError } from '../../lib/cli/config';
import {
	axionDemoCredential,
	bitbucketDemoCredential,
	DEMO_CREDENTIALS,
	EXAMPLE_WORKFLOW_FILES,
	loadExampleWorkflows,
	realBitbucketFromEnv,
	type ExampleWorkflow,
} from '../../dev/n8n/demo';
import { N8nInstance, type ExecutionResult, type WorkflowDefinition } from '../../dev/n8n/instance';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';
import { AXION_SYNC_NODE, BITBUCKET_NODE, describeRequests, log, seconds, syncRows } from './support';

jest.setTimeout(20 * 60_000);

const R = `/2.0/repositories/${C.workspace}/${C.repo}`;
const examples = loadExampleWorkflows();
const byFile = (file: (typeof EXAMPLE_WORKFLOW_FILES)[number]): WorkflowDefinition =>
	(examples.find((e) => e.file === file) as ExampleWorkflow).workflow;
const SYNC = byFile('sync-open-pull-requests.json');
const CREATE = byFile('create-pull-request-and-link.json');
const PIPELINE = byFile('trigger-staging-pipeline.json');
const NOTIFY = byFile('notify-failed-pipeline-or-merged-pr.json');
const TRIGGERS = [`${BITBUCKET_NODE}Trigger`, `${BITBUCKET_NODE}PollTrigger`];

const pkg = JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { n8n?: { nodes?: string[] } };
const axionSyncListed = (pkg.n8n?.nodes ?? []).some((file) => file.endsWith('/AxionSync.node.js'));

describe('the example workflow files', () => {
	it.each(examples.map((e) => [e.file, e.workflow] as const))('%s is an importable n8n workflow', (_file, workflow) => {
		expect(workflow.id.length).toBeLessThanOrEqual(21);
		expect(typeof workflow.name).toBe('string');
		const names = workflow.nodes.map((node) => node.name);
		expect(new Set(names).size).toBe(names.length);
		for (const [source, { main }] of Object.entries(workflow.connections)) {
			expect(names).toContain(source);
			for (const target of main.flat()) expect(names).toContain(target.node);
		}
		// Credentials only by the demo's ids, each of the type the node expects.
		const known = new Map<string, string>(Object.values(DEMO_CREDENTIALS).map((c) => [c.type, c.id]));
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) expect(known.get(type)).toBe(ref.id);
		}
		// Started by a Bitbucket trigger, or by a Manual Trigger (so `n8n execute` and "Execute workflow" can start it).
		const starts = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.manualTrigger' || TRIGGERS.includes(node.type));
		expect(starts.length).toBeGreaterThan(0);
		expect(workflow.nodes.some((node) => node.type === BITBUCKET_NODE || TRIGGERS.includes(node.type))).toBe(true);
	});

	it('the sync runs on the poll trigger, with a Manual Trigger for the one-off backfill', () => {
		const types = SYNC.nodes.map((node) => node.type);
		expect(types).toEqual(expect.arrayContaining([`${BITBUCKET_NODE}PollTrigger`, 'n8n-nodes-base.manualTrigger', AXION_SYNC_NODE]));
		expect(SYNC.connections['Still open?'].main.map((targets) => targets.map((t) => t.node))).toEqual([['Link pull request'], ['Mark closed']]);
	});

	it('the notification runs on the signed webhook trigger', () => {
		const trigger = NOTIFY.nodes.find((node) => node.type === `${BITBUCKET_NODE}Trigger`)!;
		expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		expect(trigger.parameters.events).toEqual(['pullrequest:fulfilled', 'repo:commit_status_created', 'repo:commit_status_updated']);
		expect(trigger.parameters.options).toMatchObject({ buildStates: ['FAILED'] });
	});
});

describe("the demo's Bitbucket credential (npm start)", () => {
	const real = { AXION_BITBUCKET_WORKSPACE: 'acme', AXION_BITBUCKET_REPO: 'widgets' };

	it('is the sandbox when no Bitbucket credential variable is set', () => {
		expect(realBitbucketFromEnv({ ...real, PATH: '/usr/bin' })).toBeUndefined();
		expect(bitbucketDemoCredential({ kind: 'sandbox', baseUrl: 'http://127.0.0.1:5690/2.0' })).toEqual({
			id: 'bitbucket-sandbox',
			type: 'bitbucketCloudApi',
			name: 'Bitbucket Cloud (sandbox)',
			data: { authType: 'apiToken', email: C.apiToken.email, apiToken: C.apiToken.token, workspace: C.workspace, repository: C.repo, baseUrl: 'http://127.0.0.1:5690/2.0' },
		});
	});

	it.each([
		[{ AXION_BITBUCKET_EMAIL: 'me@acme.test', AXION_BITBUCKET_API_TOKEN: 'tok' }, { authType: 'apiToken', email: 'me@acme.test', apiToken: 'tok' }],
		[{ AXION_BITBUCKET_ACCESS_TOKEN: 'acc' }, { authType: 'accessToken', accessToken: 'acc' }],
		[{ AXION_BITBUCKET_USERNAME: 'bot', AXION_BITBUCKET_APP_PASSWORD: 'pw' }, { authType: 'appPassword', username: 'bot', appPassword: 'pw' }],
	])('points at real Bitbucket with %j', (auth, expected) => {
		const config = realBitbucketFromEnv({ ...real, ...auth });
		expect(config).toBeDefined();
		const credential = bitbucketDemoCredential({ kind: 'real', config: config! });
		expect(credential).toMatchObject({ id: 'bitbucket-sandbox', name: 'Bitbucket Cloud (acme/widgets)' });
		expect(credential.data).toEqual({ ...expected, workspace: 'acme', repository: 'widgets', baseUrl: 'https://api.bitbucket.org/2.0' });
	});

	it('takes AXION_BITBUCKET_BASE_URL, and refuses half a configuration naming the variable', () => {
		const config = realBitbucketFromEnv({ ...real, AXION_BITBUCKET_ACCESS_TOKEN: 'acc', AXION_BITBUCKET_BASE_URL: 'https://bb-proxy.acme.test/2.0' });
		expect(bitbucketDemoCredential({ kind: 'real', config: config! }).data.baseUrl).toBe('https://bb-proxy.acme.test/2.0');
		expect(() => realBitbucketFromEnv({ AXION_BITBUCKET_API_TOKEN: 'tok', ...real })).toThrow(ConfigError);
		expect(() => realBitbucketFromEnv({ AXION_BITBUCKET_ACCESS_TOKEN: 'acc' })).toThrow(/AXION_BITBUCKET_WORKSPACE/);
		expect(() => realBitbucketFromEnv({ AXION_BITBUCKET_ACCESS_TOKEN: 'acc', AXION_BITBUCKET_WORKSPACE: 'acme' })).toThrow(/AXION_BITBUCKET_REPO/);
	});
});

(axionSyncListed ? describe : describe.skip)('the example workflows in a real n8n', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let sqliteFile = '';

	async function execute(workflow: WorkflowDefinition): Promise<ExecutionResult> {
		sandbox.clearRequests();
		const result = await n8n.execute(workflow.id);
		log(`[e2e] n8n execute ${workflow.id} (${workflow.name}): ${seconds(result.durationMs)}`);
		if (!result.ok) throw new Error(`${workflow.name} failed: ${result.error?.message ?? 'no run data'} ${result.error?.description ?? ''}`);
		return result;
	}

	const rowsOf = (sourceTable: string): IDataObject[] => syncRows(sqliteFile).filter((row) => row.SourceTable === sourceTable);

	beforeAll(async () => {
		sandbox = await startSandbox();
		const started = Date.now();
		n8n = await N8nInstance.create({ log });
		// The demo's credentials; the SQLite file is the node's default, relative to the n8n folder.
		await n8n.importCredentials([bitbucketDemoCredential({ kind: 'sandbox', baseUrl: sandbox.baseUrl }), axionDemoCredential()]);
		sqliteFile = join(n8n.n8nFolder, 'axion-sync.sqlite');
		// Without its Manual Trigger, as if only polled: what `n8n execute` does with it is checked below.
		const scheduleOnly: WorkflowDefinition = {
			...SYNC,
			id: 'axSyncScheduleOnly',
			name: 'Polled only',
			nodes: SYNC.nodes.filter((node) => node.type !== 'n8n-nodes-base.manualTrigger'),
			connections: Object.fromEntries(Object.entries(SYNC.connections).filter(([source]) => source !== 'Backfill (run once by hand)')),
		};
		await n8n.importWorkflows([...examples.map((e) => e.workflow), scheduleOnly]);
		log(`[e2e] instance with the example workflows ready in ${seconds(Date.now() - started)}: ${n8n.root}`);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.close();
	});

	it('n8n registered every node type and version the examples use', async () => {
		const registered = new Set((await n8n.exportNodes()).flatMap((d) => (Array.isArray(d.version) ? d.version : [d.version]).map((v) => `${d.name}@${v}`)));
		const used = examples.flatMap((e) => e.workflow.nodes.map((node) => `${node.type}@${node.typeVersion}`));
		expect(used.filter((key) => !registered.has(key))).toEqual([]);
	});

	describe('Create a pull request and link the feature', () => {
		let result: ExecutionResult;
		beforeAll(async () => {
			result = await execute(CREATE);
		});

		it('opens feat/user-export → develop, "Adds CSV export for user data"', () => {
			const [pr] = result.json('Create pull request');
			expect(pr).toMatchObject({ id: 121, title: 'Adds CSV export for user data', state: 'OPEN', description: 'Implements FEAT-42.' });
			expect(describeRequests(sandbox.requests)).toEqual([`POST ${R}/pullrequests 201`]);
			expect(sandbox.requests[0].body).toMatchObject({
				title: 'Adds CSV export for user data',
				source: { branch: { name: 'feat/user-export' } },
				destination: { branch: { name: 'develop' } },
			});
		});

		it('links def_features / FEAT-42 to the new pull request', () => {
			expect(result.json('Link feature to pull request')).toEqual([
				expect.objectContaining({
					Package: 'axion',
					Provider: 'bitbucket',
					SourceTable: 'def_features',
					SourceKey: 'FEAT-42',
					ExternalId: '121',
					ExternalType: 'pullrequest',
					SyncStatus: 'synced',
					action: 'created',
				}),
			]);
			expect(rowsOf('def_features')).toEqual([
				expect.objectContaining({ SourceKey: 'FEAT-42', ExternalId: '121', ExternalType: 'pullrequest', SyncStatus: 'synced' }),
			]);
		});
	});

	describe('Sync pull requests to Axion (the backfill path)', () => {
		const open = () => sandbox.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN');

		it('first run: links every open pull request (the feature link does not count for def_pull_requests)', async () => {
			const result = await execute(SYNC);
			const expected = open().map((p) => String(p.id)).sort();
			expect(expected).toHaveLength(55); // 54 seeded + the one opened above
			expect(result.json('Get open pull requests')).toHaveLength(55);
			expect(result.json('Keep only new pull requests')).toHaveLength(55);
			const linked = result.json('Link pull request');
			expect(linked.every((row) => row.action === 'created' && row.ExternalType === 'pullrequest' && row.SourceKey === row.ExternalId)).toBe(true);
			expect(linked.map((row) => row.ExternalId).sort()).toEqual(expected);
			expect(rowsOf('def_pull_requests').map((row) => row.ExternalId).sort()).toEqual(expected);
			expect(describeRequests(sandbox.requests)).toEqual([`GET ${R}/pullrequests 200`, `GET ${R}/pullrequests 200`]);
			expect(sandbox.requests[0].query).toMatchObject({ state: ['OPEN'], pagelen: ['50'] });
		});

		it('next run: only the pull request opened since then is linked; known ones are left alone', async () => {
			const before = rowsOf('def_pull_requests');
			// Someone opens a pull request in Bitbucket.
			const response = await fetch(`${sandbox.baseUrl}/repositories/${C.workspace}/${C.repo}/pullrequests`, {
				method: 'POST',
				headers: {
					authorization: `Basic ${Buffer.from(`${C.apiToken.email}:${C.apiToken.token}`).toString('base64')}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ title: 'Audit logins', source: { branch: { name: 'feature/login-audit' } } }),
			});
			expect(response.status).toBe(201);
			const { id } = (await response.json()) as { id: number };

			const result = await execute(SYNC);
			expect(result.json('Get open pull requests')).toHaveLength(56);
			expect(result.json('Keep only new pull requests').map((pr) => pr.id)).toEqual([id]);
			expect(result.json('Link pull request')).toEqual([expect.objectContaining({ SourceKey: String(id), ExternalId: String(id), action: 'created' })]);
			const after = rowsOf('def_pull_requests');
			expect(after).toHaveLength(before.length + 1);
			// The rows linked by the first run were not rewritten (same Guid, same SyncedAt).
			expect(after.filter((row) => row.ExternalId !== String(id))).toEqual(before);
		});
	});

	describe('Trigger a staging pipeline', () => {
		let result: ExecutionResult;
		beforeAll(async () => {
			result = await execute(PIPELINE);
		});

		it('runs deploy-staging on develop with DEPLOY_ENV=staging', () => {
			expect(describeRequests(sandbox.requests)).toEqual([`POST ${R}/pipelines 201`]);
			expect(sandbox.requests[0].body).toEqual({
				target: { type: 'pipeline_ref_target', ref_type: 'branch', ref_name: 'develop', selector: { type: 'custom', pattern: 'deploy-staging' } },
				variables: [{ key: 'DEPLOY_ENV', value: 'staging', secured: false }],
			});
			const [pipeline] = result.json('Run deploy-staging on develop');
			expect(pipeline).toMatchObject({ uuid: expect.stringMatching(/^\{[-0-9a-f]+\}$/), target: expect.objectContaining({ ref_name: 'develop' }) });
		});

		it('records it: def_environments / staging → the pipeline UUID, type pipeline', () => {
			const [pipeline] = result.json('Run deploy-staging on develop');
			expect(result.json('Record staging pipeline')).toEqual([
				expect.objectContaining({ SourceTable: 'def_environments', SourceKey: 'staging', ExternalId: pipeline.uuid, ExternalType: 'pipeline', action: 'created' }),
			]);
			expect(rowsOf('def_environments')).toEqual([expect.objectContaining({ SourceKey: 'staging', ExternalId: pipeline.uuid, ExternalType: 'pipeline' })]);
		});
	});

	it('every row is in the active package, provider bitbucket, SyncedAt in UTC', () => {
		const rows = syncRows(sqliteFile);
		expect(rows).toHaveLength(1 + 56 + 1);
		for (const row of rows) {
			expect(row).toMatchObject({ Package: 'axion', Provider: 'bitbucket', SyncStatus: 'synced' });
			expect(String(row.SyncedAt)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
			expect(String(row.Guid)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		}
	});

	it('`n8n execute` cannot start a workflow that only has a poll trigger: why the sync example also has a Manual Trigger', async () => {
		sandbox.clearRequests();
		const result = await n8n.execute('axSyncScheduleOnly');
		expect(result.ok).toBe(false);
		expect(`${result.error?.message ?? ''}\n${result.stdout}\n${result.stderr}`).toMatch(/Missing node to start execution/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('logged no package load error', () => {
		expect(n8n.loadErrors()).toEqual([]);
	});
});
