/**
 * The Axion Sync node executed by n8n-core's WorkflowExecute, on SQLite and PostgreSQL: every operation,
 * expressions, pairedItem, rollback without Continue On Fail, error items with it, injection strings,
 * bad input naming the field, and the password never showing up in errors.
 */

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { AxionDatabase } from '../../credentials/AxionDatabase.credentials';
import { AxionSync } from '../../nodes/AxionSync/AxionSync.node';
import { openSyncStore, type SyncEngine, type SyncLink } from '../../nodes/shared/sync';
import { registerCredentialType, runNode } from '../../dev/n8n/engine';
import { ENGINES, startSyncFixture, type SyncFixture } from './support';

jest.setTimeout(60_000);

const TYPE = 'n8n-nodes-axion-bitbucket.axionSync';
const INJECTION = `'); DROP TABLE x; --`;

let fx: SyncFixture;
beforeAll(async () => {
	registerCredentialType(new AxionDatabase());
	fx = await startSyncFixture();
});
afterAll(async () => {
	await fx?.close();
});

type Credentials = Record<string, string | number | boolean>;

async function run(
	credentials: Credentials,
	parameters: INodeParameters,
	items: INodeExecutionData[] = [{ json: {} }],
	continueOnFail = false,
) {
	return await runNode(
		{ type: TYPE, nodeType: new AxionSync(), parameters, credentials: ['axionDatabase'], continueOnFail },
		{ credentials: { axionDatabase: credentials }, items },
	);
}

const linkParams = (over: INodeParameters = {}): INodeParameters => ({
	operation: 'linkRecord',
	sourceTable: 'def_project',
	sourceKey: '={{ $json.key }}',
	externalId: '={{ $json.pr }}',
	externalType: 'pullrequest',
	provider: 'bitbucket',
	status: 'synced',
	...over,
});

const prItems = (n: number, offset = 0): INodeExecutionData[] =>
	Array.from({ length: n }, (_, i) => ({ json: { key: `rec-${i + offset}`, pr: 100 + i + offset, title: `PR ${i + offset}` } }));

function paired(items: INodeExecutionData[]): unknown[] {
	return items.map((i) => i.pairedItem);
}

async function rows(credentials: Credentials): Promise<SyncLink[]> {
	const store = await openSyncStore(
		credentials.engine === 'postgres'
			? { engine: 'postgres', host: fx.pg.host, port: fx.pg.port, database: fx.pg.database, user: fx.pg.user, password: fx.pg.password, table: String(credentials.table), packageName: String(credentials.packageName ?? '') }
			: { engine: 'sqlite', file: String(credentials.sqliteFile), table: String(credentials.table), packageName: String(credentials.packageName ?? '') },
		{ cache: false },
	);
	try {
		return await store.list({});
	} finally {
		await store.close();
	}
}

describe.each(ENGINES)('Axion Sync node on %s', (engine: SyncEngine) => {
	let creds: Credentials;
	beforeEach(() => {
		creds = fx.credentials(engine, { table: fx.freshTable('node') });
	});

	test('Link Record upserts every item in one execution and says created or updated', async () => {
		const first = await run(creds, linkParams(), prItems(3));
		expect(first.error).toBeUndefined();
		expect(first.items.map((i) => [i.json.SourceKey, i.json.ExternalId, i.json.action])).toEqual([
			['rec-0', '100', 'created'],
			['rec-1', '101', 'created'],
			['rec-2', '102', 'created'],
		]);
		expect(paired(first.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(first.items[0].json).toMatchObject({ Package: 'axion_test', Provider: 'bitbucket', ExternalType: 'pullrequest', SyncStatus: 'synced' });
		expect(first.items[0].json.SyncedAt).toMatch(/Z$/);

		const second = await run(creds, linkParams({ status: 'error' }), prItems(4));
		expect(second.items.map((i) => i.json.action)).toEqual(['updated', 'updated', 'updated', 'created']);
		expect(second.items[0].json.Guid).toBe(first.items[0].json.Guid);
		expect(second.items[0].json.SyncStatus).toBe('error');
		expect(await rows(creds)).toHaveLength(4);
	});

	test('simple {{ $json.… }} mappings read the item directly and match what n8n evaluates', async () => {
		const items = [
			{ json: { rec: { key: 'r1' }, 'pull request': [{ id: 7 }], name: 'abc' } },
			{ json: { rec: { key: 'r2' }, 'pull request': [{ id: '8' }], name: 'abcd' } },
		];
		const direct = await run(creds, linkParams({ sourceKey: '={{ $json.rec?.key }}', externalId: '={{ $json["pull request"][0].id }}', sourceTable: '={{ $json.name.length }}' }), items);
		const evaluated = await run(
			creds,
			linkParams({ sourceKey: '={{ $json.rec.key + "" }}', externalId: '={{ String($json["pull request"][0].id) }}', sourceTable: '={{ $json.name.length + 0 }}' }),
			items,
		);
		expect(direct.items.map((i) => [i.json.SourceKey, i.json.ExternalId, i.json.SourceTable, i.json.action])).toEqual([
			['r1', '7', '3', 'created'],
			['r2', '8', '4', 'created'],
		]);
		expect(evaluated.items.map((i) => [i.json.SourceKey, i.json.ExternalId, i.json.SourceTable, i.json.action])).toEqual([
			['r1', '7', '3', 'updated'],
			['r2', '8', '4', 'updated'],
		]);
		const missing = await run(creds, linkParams({ sourceKey: '={{ $json.nope }}' }), items);
		expect(missing.error?.message).toBe('Source Key is empty');
		const objectValue = await run(creds, linkParams({ sourceKey: '={{ $json.rec }}' }), items);
		expect(objectValue.error?.message).toBe('Source Key must be text or a number (got object)');
	});

	test('Link Record with duplicate keys in one execution: last wins, reported per item', async () => {
		const items = [{ json: { key: 'a', pr: 1 } }, { json: { key: 'a', pr: 2 } }];
		const result = await run(creds, linkParams(), items);
		expect(result.items.map((i) => [i.json.action, i.json.ExternalId])).toEqual([
			['created', '1'],
			['updated', '2'],
		]);
		expect((await rows(creds)).map((r) => r.ExternalId)).toEqual(['2']);
	});

	test('Get External ID: found, and each not-found mode', async () => {
		await run(creds, linkParams(), prItems(2));
		const params = (notFound: string): INodeParameters => ({
			operation: 'getExternalId',
			sourceTable: 'def_project',
			sourceKey: '={{ $json.key }}',
			externalType: 'pullrequest',
			provider: 'bitbucket',
			notFound,
		});
		const items = [{ json: { key: 'rec-1' } }, { json: { key: 'nope' } }, { json: { key: 'rec-0' } }];

		const empty = await run(creds, params('empty'), items);
		expect(empty.items.map((i) => i.json.ExternalId)).toEqual(['101', '100']);
		expect(paired(empty.items)).toEqual([{ item: 0 }, { item: 2 }]);

		const through = await run(creds, params('passThrough'), items);
		expect(through.items.map((i) => i.json.ExternalId)).toEqual(['101', null, '100']);
		expect(through.items[1].json).toEqual({ key: 'nope', ExternalId: null });
		expect(paired(through.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		const failed = await run(creds, params('error'), items);
		expect(failed.error?.message).toMatch(/No link found for Source Table "def_project", Source Key "nope"/);
		expect(failed.error?.context?.itemIndex).toBe(1);

		const errorItems = await run(creds, params('error'), items, true);
		expect(errorItems.error).toBeUndefined();
		expect(errorItems.items[1].json.error).toMatch(/No link found/);
		expect(paired(errorItems.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('Get External ID without a type returns every link of the record', async () => {
		await run(creds, linkParams(), prItems(1));
		await run(creds, linkParams({ externalType: 'branch', externalId: 'feature/x' }), prItems(1));
		const result = await run(creds, { operation: 'getExternalId', sourceTable: 'def_project', sourceKey: 'rec-0', externalType: '', provider: 'bitbucket' });
		expect(result.items.map((i) => i.json.ExternalType).sort()).toEqual(['branch', 'pullrequest']);
		expect(paired(result.items)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	test('Get Local Key: by external id and type, optional source table, not-found pass-through', async () => {
		await run(creds, linkParams(), prItems(2));
		await run(creds, linkParams({ sourceTable: 'def_task', sourceKey: 'task-9', externalId: '100' }), prItems(1));
		const result = await run(
			creds,
			{ operation: 'getLocalKey', externalId: '={{ $json.id }}', externalType: 'pullrequest', provider: 'bitbucket', notFound: 'passThrough' },
			[{ json: { id: 100 } }, { json: { id: 999 } }],
		);
		// Several local records per external object: one item each, most recently synced first.
		expect(result.items.map((i) => [i.json.SourceTable, i.json.SourceKey])).toEqual([
			['def_task', 'task-9'],
			['def_project', 'rec-0'],
			[undefined, null],
		]);
		expect(result.items[2].json).toEqual({ id: 999, SourceKey: null });
		expect(paired(result.items)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
		const narrowed = await run(creds, {
			operation: 'getLocalKey',
			externalId: '100',
			externalType: 'pullrequest',
			provider: 'bitbucket',
			sourceTable: 'def_task',
		});
		expect(narrowed.items.map((i) => i.json.SourceKey)).toEqual(['task-9']);
	});

	test('Look Up Many enriches every item in one query, or keeps only unknown / known ones', async () => {
		await run(creds, linkParams(), prItems(2, 1)); // PRs 101, 102 are known
		const prs: INodeExecutionData[] = [100, 101, 102, 103].map((id) => ({ json: { id, title: `PR ${id}` } }));
		const params = (output: string, options: INodeParameters = {}): INodeParameters => ({
			operation: 'lookUpMany',
			lookUpBy: 'external',
			externalId: '={{ $json.id }}',
			externalType: 'pullrequest',
			provider: 'bitbucket',
			output,
			options,
		});
		const all = await run(creds, params('all'), prs);
		expect(all.items.map((i) => [i.json.id, (i.json.axionSync as IDataObject | null)?.SourceKey ?? null])).toEqual([
			[100, null],
			[101, 'rec-1'],
			[102, 'rec-2'],
			[103, null],
		]);
		expect(all.items[1].json.title).toBe('PR 101');
		expect(paired(all.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);

		const unknown = await run(creds, params('unknown'), prs);
		expect(unknown.items.map((i) => i.json.id)).toEqual([100, 103]);
		expect(paired(unknown.items)).toEqual([{ item: 0 }, { item: 3 }]);

		const known = await run(creds, params('known', { field: 'link' }), prs);
		expect(known.items.map((i) => [i.json.id, (i.json.link as IDataObject).ExternalId])).toEqual([
			[101, '101'],
			[102, '102'],
		]);

		const bySource = await run(
			creds,
			{ operation: 'lookUpMany', lookUpBy: 'source', sourceTable: 'def_project', sourceKey: '={{ $json.key }}', externalType: 'pullrequest', provider: 'bitbucket', output: 'all' },
			[{ json: { key: 'rec-2' } }, { json: { key: 'rec-7' } }],
		);
		expect(bySource.items.map((i) => (i.json.axionSync as IDataObject | null)?.ExternalId ?? null)).toEqual(['102', null]);
	});

	test('Set Status, Get Many (filters, limit, return all) and Unlink', async () => {
		const linked = await run(creds, linkParams(), prItems(5));
		const setStatus = await run(
			creds,
			{ operation: 'setStatus', matchBy: 'external', externalId: '={{ $json.pr }}', externalType: 'pullrequest', provider: 'bitbucket', status: 'deleted', notFound: 'passThrough' },
			[{ json: { pr: 101 } }, { json: { pr: 103 } }, { json: { pr: 555 } }],
		);
		expect(setStatus.items.map((i) => [i.json.ExternalId ?? i.json.pr, i.json.SyncStatus ?? null, i.json.Guid])).toEqual([
			['101', 'deleted', linked.items[1].json.Guid],
			['103', 'deleted', linked.items[3].json.Guid],
			[555, null, null],
		]);

		const byGuid = await run(creds, { operation: 'setStatus', matchBy: 'guid', guid: String(linked.items[0].json.Guid), status: 'error' });
		expect(byGuid.items[0].json).toMatchObject({ SourceKey: 'rec-0', SyncStatus: 'error' });

		const deleted = await run(creds, { operation: 'getMany', returnAll: true, filters: { status: 'deleted', provider: 'bitbucket' } });
		expect(deleted.items.map((i) => i.json.SourceKey).sort()).toEqual(['rec-1', 'rec-3']);
		const limited = await run(creds, { operation: 'getMany', returnAll: false, limit: 2, filters: {} });
		expect(limited.items).toHaveLength(2);
		const future = await run(creds, { operation: 'getMany', returnAll: true, filters: { syncedAfter: '2999-01-01T00:00:00' } });
		expect(future.items).toHaveLength(0);
		const past = await run(creds, { operation: 'getMany', returnAll: true, filters: { syncedBefore: '2999-01-01T00:00:00', externalType: 'pullrequest', sourceTable: 'def_project' } });
		expect(past.items).toHaveLength(5);
		expect(paired(past.items).every((p) => JSON.stringify(p) === JSON.stringify({ item: 0 }))).toBe(true);

		const unlinked = await run(
			creds,
			{ operation: 'unlink', matchBy: 'source', sourceTable: 'def_project', sourceKey: '={{ $json.key }}', externalType: '', provider: 'bitbucket' },
			[{ json: { key: 'rec-1' } }, { json: { key: 'rec-3' } }, { json: { key: 'zzz' } }],
		);
		expect(unlinked.items.map((i) => [i.json.SourceKey, i.json.deleted])).toEqual([
			['rec-1', true],
			['rec-3', true],
		]);
		expect(paired(unlinked.items)).toEqual([{ item: 0 }, { item: 1 }]);
		expect((await rows(creds)).map((r) => r.SourceKey).sort()).toEqual(['rec-0', 'rec-2', 'rec-4']);
	});

	test('injection strings pass through the node and are stored literally', async () => {
		const items = [{ json: { key: INJECTION, pr: `${INJECTION}"\\` } }];
		const linked = await run(creds, linkParams({ sourceTable: `x"; DROP TABLE y; --` }), items);
		expect(linked.items[0].json).toMatchObject({ SourceKey: INJECTION, ExternalId: `${INJECTION}"\\`, SourceTable: `x"; DROP TABLE y; --` });
		const found = await run(creds, {
			operation: 'getLocalKey',
			externalId: `${INJECTION}"\\`,
			externalType: 'pullrequest',
			provider: 'bitbucket',
		});
		expect(found.items[0].json.SourceKey).toBe(INJECTION);
		expect(await rows(creds)).toHaveLength(1);
	});

	test('without Continue On Fail a bad item fails the node and nothing is written', async () => {
		const items = [{ json: { key: 'a', pr: 1 } }, { json: { key: '', pr: 2 } }, { json: { key: 'c', pr: 3 } }];
		const result = await run(creds, linkParams(), items);
		expect(result.error?.message).toBe('Source Key is empty');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.items).toEqual([]);
		expect(await rows(creds)).toHaveLength(0);
	});

	test('with Continue On Fail good items are written and the bad one becomes an error item', async () => {
		const items = [{ json: { key: 'a', pr: 1 } }, { json: { key: 'b', pr: 2, status: 'done' } }, { json: { key: 'c', pr: 3 } }];
		const result = await run(creds, linkParams({ status: '={{ $json.status ?? "synced" }}' }), items, true);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.action ?? i.json.error)).toEqual(['created', 'Status must be one of synced, error, deleted (got "done")', 'created']);
		expect(paired(result.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect((await rows(creds)).map((r) => r.SourceKey).sort()).toEqual(['a', 'c']);
	});

	test('an unknown status without Continue On Fail names the field and item', async () => {
		const result = await run(creds, linkParams({ status: '={{ $json.s }}' }), [{ json: { key: 'a', pr: 1, s: 'synced' } }, { json: { key: 'b', pr: 2, s: 'weird' } }]);
		expect(result.error?.message).toMatch(/^Status must be one of synced, error, deleted \(got "weird"\)/);
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(await rows(creds)).toHaveLength(0);
	});

	test('the package comes from AXION_PACKAGE when the credential leaves it empty', async () => {
		const previous = process.env.AXION_PACKAGE;
		process.env.AXION_PACKAGE = 'from_env';
		try {
			const result = await run({ ...creds, packageName: '' }, linkParams(), prItems(1));
			expect(result.items[0].json.Package).toBe('from_env');
		} finally {
			if (previous === undefined) delete process.env.AXION_PACKAGE;
			else process.env.AXION_PACKAGE = previous;
		}
	});
});

describe('credential and connection errors', () => {
	test('an unknown engine names the Engine field', async () => {
		const result = await run({ engine: 'oracle' }, linkParams(), prItems(1));
		expect(result.error?.message).toMatch(/Engine must be "sqlite" or "postgres"/);
		expect(result.error?.description).toMatch(/Engine/);
	});

	test('unreachable PostgreSQL and a wrong password: clear errors, the password nowhere in the run', async () => {
		const secret = 'Sup3r-Secret-Pa55word';
		for (const [over, field] of [
			[{ port: 1, password: secret }, 'Host'],
			[{ password: secret }, 'Password'],
		] as const) {
			const creds = fx.credentials('postgres', { table: fx.freshTable('err'), ...over });
			const result = await run(creds, linkParams(), prItems(2));
			expect(result.error).toBeDefined();
			expect(result.error?.description).toContain(`"${field}"`);
			expect(result.error?.context?.itemIndex).toBe(0);
			expect(result.error?.message).toMatch(field === 'Host' ? /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1: connection refused/ : /^PostgreSQL rejected the password for user "axion"/);
			const everything = JSON.stringify(result.run) + String(result.error?.stack) + String(result.error?.message);
			expect(everything).not.toContain(secret);

			const continued = await run(creds, linkParams(), prItems(2), true);
			expect(continued.items.map((i) => typeof i.json.error)).toEqual(['string', 'string']);
			expect(JSON.stringify(continued.run)).not.toContain(secret);
		}
	});

	test('a row the database rejects becomes an error item with Continue On Fail (existing narrow table)', async () => {
		const table = fx.freshTable('narrow');
		await fx.pgQuery(`CREATE TABLE "${table}" ("Guid" uuid PRIMARY KEY, "Package" text NOT NULL, "Provider" text NOT NULL,
			"SourceTable" text NOT NULL, "SourceKey" text NOT NULL, "ExternalId" varchar(5) NOT NULL, "ExternalType" text NOT NULL,
			"SyncStatus" text NOT NULL, "SyncedAt" timestamp NOT NULL,
			UNIQUE ("Package", "Provider", "SourceTable", "SourceKey", "ExternalType"))`);
		const creds = fx.credentials('postgres', { table });
		const items = [{ json: { key: 'a', pr: 1 } }, { json: { key: 'b', pr: 1234567 } }, { json: { key: 'c', pr: 3 } }];
		const failed = await run(creds, linkParams(), items);
		expect(failed.error?.message).toMatch(/22001/);
		expect(await rows(creds)).toHaveLength(0);
		const result = await run(creds, linkParams(), items, true);
		expect(result.items.map((i) => i.json.action ?? 'error')).toEqual(['created', 'error', 'created']);
		expect(String(result.items[1].json.error)).toMatch(/too long/);
		expect((await rows(creds)).map((r) => r.SourceKey).sort()).toEqual(['a', 'c']);
	});
});

describe('credential test (axionDatabaseTest)', () => {
	const test_ = async (data: Credentials) => {
		const node = new AxionSync();
		const fn = node.methods.credentialTest.axionDatabaseTest;
		return await fn.call({} as never, { id: 'c', name: 'c', type: 'axionDatabase', data });
	};

	test.each(ENGINES)('%s: reports a missing table as "will be created", an existing one as existing', async (engine) => {
		const table = fx.freshTable('cred');
		const creds = fx.credentials(engine, { table, createTable: true, schema: 'public' });
		const before = await test_(creds);
		expect(before.status).toBe('OK');
		expect(before.message).toMatch(/does not exist yet: it will be created on first use/);
		await run(creds, linkParams(), prItems(1));
		const after = await test_(creds);
		expect(after).toEqual({ status: 'OK', message: expect.stringMatching(/Table .* exists\./) });
		const off = await test_({ ...creds, table: fx.freshTable('cred'), createTable: false });
		expect(off.status).toBe('Error');
	});

	test('a failing connection is an Error without the password', async () => {
		const secret = 'An0ther-Secret-Value';
		const result = await test_(fx.credentials('postgres', { password: secret }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/password/i);
		expect(result.message).not.toContain(secret);
		const unreachable = await test_(fx.credentials('postgres', { port: 1, password: secret }));
		expect(unreachable).toMatchObject({ status: 'Error', message: expect.stringMatching(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1/) });
	});
});
