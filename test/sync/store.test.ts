/**
 * The def_integration_sync store on a real SQLite file and a real PostgreSQL server.
 */
import { DatabaseSync } from 'node:sqlite';

import {
	SyncStoreError,
	openSyncStore,
	resolvePackage,
	resolveSqliteFile,
	resolveStoreConfig,
	type LinkInput,
	type SyncEngine,
	type SyncStore,
} from '../../nodes/shared/sync';
import { ENGINES, startSyncFixture, type SyncFixture } from './support';

jest.setTimeout(60_000);

let fx: SyncFixture;
beforeAll(async () => {
	fx = await startSyncFixture();
});
afterAll(async () => {
	await fx?.close();
});

const INJECTION = `'); DROP TABLE x; --`;

function input(n: number | string, over: Partial<LinkInput> = {}): LinkInput {
	return {
		provider: 'bitbucket',
		sourceTable: 'def_project',
		sourceKey: `key-${n}`,
		externalId: `ext-${n}`,
		externalType: 'pullrequest',
		status: 'synced',
		...over,
	};
}

async function fresh(engine: SyncEngine, over: Parameters<SyncFixture['config']>[1] = {}): Promise<SyncStore> {
	return await openSyncStore(fx.config(engine, { table: fx.freshTable(), ...over }));
}

async function rowCount(_engine: SyncEngine, store: SyncStore): Promise<number> {
	return (await store.list({})).length;
}

describe.each(ENGINES)('store on %s', (engine) => {
	test('creates the table and its indexes when missing, idempotently', async () => {
		const table = fx.freshTable();
		const store = await openSyncStore(fx.config(engine, { table }), { cache: false });
		try {
			expect((await store.inspect()).exists).toBe(false);
			expect(await store.ensureTable()).toEqual({ created: true });
			expect(await store.ensureTable()).toEqual({ created: false });
			const info = await store.inspect();
			expect(info).toMatchObject({ exists: true, missingColumns: [], hasUniqueKey: true });
			expect(info.server).toMatch(engine === 'sqlite' ? /^SQLite 3\./ : /^PostgreSQL \d+/);
		} finally {
			await store.close();
		}
		if (engine === 'postgres') {
			const indexes = await fx.pgQuery<{ indexname: string; indexdef: string }>(
				'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
				[table],
			);
			expect(indexes.map((i) => i.indexname)).toEqual([`${table}_external_ix`, `${table}_link_uq`, `${table}_pkey`]);
			expect(indexes[1].indexdef).toContain('UNIQUE INDEX');
			expect(indexes[1].indexdef).toContain('("Package", "Provider", "SourceTable", "SourceKey", "ExternalType")');
			expect(indexes[0].indexdef).toContain('("Package", "Provider", "ExternalType", "ExternalId")');
		}
	});

	test('concurrent creators of one table all succeed', async () => {
		const table = fx.freshTable();
		const stores = await Promise.all(
			Array.from({ length: 6 }, () => openSyncStore(fx.config(engine, { table }), { cache: false })),
		);
		try {
			const results = await Promise.all(stores.map((s) => s.ensureTable()));
			expect(results.filter((r) => r.created)).toHaveLength(1);
			const links = await Promise.all(stores.map((s, i) => s.link([input(i)])));
			expect(links.every((l) => l[0].created)).toBe(true);
		} finally {
			await Promise.all(stores.map((s) => s.close()));
		}
	});

	test('link creates, then updates the same row; SyncedAt is UTC ISO', async () => {
		const store = await fresh(engine);
		const before = Date.now();
		const [first] = await store.link([input(1)]);
		expect(first.created).toBe(true);
		expect(first.link).toMatchObject({
			Package: 'axion_test',
			Provider: 'bitbucket',
			SourceTable: 'def_project',
			SourceKey: 'key-1',
			ExternalId: 'ext-1',
			ExternalType: 'pullrequest',
			SyncStatus: 'synced',
		});
		expect(first.link.Guid).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.link.SyncedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(Date.parse(first.link.SyncedAt!)).toBeGreaterThanOrEqual(before - 5);

		const [second] = await store.link([input(1, { externalId: 'ext-1b', status: 'error' })], { syncedAt: '2030-01-02T03:04:05.678Z' });
		expect(second.created).toBe(false);
		expect(second.link.Guid).toBe(first.link.Guid);
		expect(second.link).toMatchObject({ ExternalId: 'ext-1b', SyncStatus: 'error', SyncedAt: '2030-01-02T03:04:05.678Z' });
		expect(await rowCount(engine, store)).toBe(1);
	});

	test('the same key under another external type or provider is another link', async () => {
		const store = await fresh(engine);
		const results = await store.link([input(1), input(1, { externalType: 'branch' }), input(1, { provider: 'asana' })]);
		expect(results.map((r) => r.created)).toEqual([true, true, true]);
		expect(new Set(results.map((r) => r.link.Guid)).size).toBe(3);
	});

	test('duplicate keys in one batch: last wins, first reports created, later ones updated', async () => {
		const store = await fresh(engine);
		const results = await store.link([
			input(1, { externalId: 'first' }),
			input(2),
			input(1, { externalId: 'middle', status: 'error' }),
			input(1, { externalId: 'last' }),
		]);
		expect(results.map((r) => r.created)).toEqual([true, true, false, false]);
		expect(results.map((r) => r.link.ExternalId)).toEqual(['first', 'ext-2', 'middle', 'last']);
		expect(results[2].link.SyncStatus).toBe('error');
		expect(results[0].link.Guid).toBe(results[3].link.Guid);
		const [stored] = await store.findBySource([{ provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'key-1' }]);
		expect(stored).toHaveLength(1);
		expect(stored[0].ExternalId).toBe('last');
		expect(await rowCount(engine, store)).toBe(2);
	});

	test('injection strings are stored literally', async () => {
		const store = await fresh(engine);
		const weird = input(INJECTION, {
			provider: `bit"bucket'`,
			sourceTable: `x"; DROP TABLE y; --`,
			sourceKey: INJECTION,
			externalId: `${INJECTION} \\ ' " ? $1 ?1 :a @b`,
			externalType: 'pull request 🚀',
		});
		const [linked] = await store.link([weird]);
		expect(linked.link).toMatchObject({
			Provider: weird.provider,
			SourceTable: weird.sourceTable,
			SourceKey: weird.sourceKey,
			ExternalId: weird.externalId,
			ExternalType: weird.externalType,
		});
		const [bySource] = await store.findBySource([weird]);
		expect(bySource.map((l) => l.ExternalId)).toEqual([weird.externalId]);
		const [byExternal] = await store.findByExternal([weird]);
		expect(byExternal.map((l) => l.SourceKey)).toEqual([INJECTION]);
		expect(await store.list({ sourceTable: weird.sourceTable })).toHaveLength(1);
		expect((await store.inspect()).exists).toBe(true);
	});

	test('look-ups by source, by external object and by Guid, batched, in input order', async () => {
		const store = await fresh(engine);
		const linked = await store.link([
			input(1),
			input(1, { externalType: 'branch', externalId: 'main' }),
			input(2),
			input(3, { sourceTable: 'def_task', externalId: 'ext-2' }),
		]);
		const bySource = await store.findBySource([
			{ provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'key-1', externalType: 'branch' },
			{ provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'missing' },
			{ provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'key-1' },
			{ provider: 'asana', sourceTable: 'def_project', sourceKey: 'key-1' },
		]);
		expect(bySource.map((rows) => rows.map((r) => r.ExternalId).sort())).toEqual([['main'], [], ['ext-1', 'main'], []]);

		const byExternal = await store.findByExternal([
			{ provider: 'bitbucket', externalType: 'pullrequest', externalId: 'ext-2' },
			{ provider: 'bitbucket', externalType: 'pullrequest', externalId: 'ext-2', sourceTable: 'def_task' },
			{ provider: 'bitbucket', externalType: 'branch', externalId: 'ext-2' },
		]);
		expect(byExternal.map((rows) => rows.map((r) => r.SourceKey).sort())).toEqual([['key-2', 'key-3'], ['key-3'], []]);

		const byGuid = await store.find([
			{ by: 'guid', guid: linked[2].link.Guid },
			{ by: 'guid', guid: 'not-a-guid' },
			{ by: 'guid', guid: linked[2].link.Guid.toUpperCase() },
		]);
		expect(byGuid[0].map((r) => r.SourceKey)).toEqual(['key-2']);
		expect(byGuid[1]).toEqual([]);
		// uuid columns compare case-insensitively; text Guids exactly.
		expect(byGuid[2]).toHaveLength(engine === 'postgres' ? 1 : 0);
	});

	test('thousands of links and look-ups are chunked within parameter limits', async () => {
		const store = await fresh(engine);
		const inputs = Array.from({ length: 5000 }, (_, i) => input(i));
		const results = await store.link(inputs);
		expect(results.filter((r) => r.created)).toHaveLength(5000);
		const again = await store.link(inputs.map((x) => ({ ...x, status: 'error' as const })));
		expect(again.filter((r) => r.created)).toHaveLength(0);
		const found = await store.findByExternal(inputs.map((x) => ({ ...x, externalId: x.externalId })));
		expect(found.every((rows, i) => rows.length === 1 && rows[0].SourceKey === `key-${i}` && rows[0].SyncStatus === 'error')).toBe(true);
		const missing = await store.findBySource(inputs.map((x) => ({ ...x, sourceKey: `${x.sourceKey}-nope` })));
		expect(missing.every((rows) => rows.length === 0)).toBe(true);
		expect((await store.list({})).length).toBe(5000);
	});

	test('setStatus marks links and stamps SyncedAt (or keeps it)', async () => {
		const store = await fresh(engine);
		const [a, b] = await store.link([input(1), input(2)], { syncedAt: '2020-01-01T00:00:00.000Z' });
		const updated = await store.setStatus([
			{ ref: { by: 'source', provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'key-1', externalType: 'pullrequest' }, status: 'deleted' },
			{ ref: { by: 'guid', guid: b.link.Guid }, status: 'error' },
			{ ref: { by: 'external', provider: 'bitbucket', externalType: 'pullrequest', externalId: 'nope' }, status: 'error' },
		]);
		expect(updated[0].map((r) => [r.Guid, r.SyncStatus])).toEqual([[a.link.Guid, 'deleted']]);
		expect(updated[1].map((r) => r.SyncStatus)).toEqual(['error']);
		expect(updated[2]).toEqual([]);
		expect(updated[0][0].SyncedAt! > '2020-01-01T00:00:00.000Z').toBe(true);

		const kept = await store.setStatus([{ ref: { by: 'guid', guid: b.link.Guid }, status: 'synced' }], { syncedAt: null });
		expect(kept[0][0]).toMatchObject({ SyncStatus: 'synced', SyncedAt: updated[1][0].SyncedAt });
	});

	test('unlink deletes and returns the rows; a second unlink finds nothing', async () => {
		const store = await fresh(engine);
		const [a] = await store.link([input(1), input(2), input(2, { externalType: 'branch' })]);
		const removed = await store.unlink([
			{ by: 'guid', guid: a.link.Guid },
			{ by: 'source', provider: 'bitbucket', sourceTable: 'def_project', sourceKey: 'key-2' },
		]);
		expect(removed[0].map((r) => r.SourceKey)).toEqual(['key-1']);
		expect(removed[1]).toHaveLength(2);
		expect(await rowCount(engine, store)).toBe(0);
		expect(await store.unlink([{ by: 'guid', guid: a.link.Guid }])).toEqual([[]]);
	});

	test('list filters by provider, type, status, source table, SyncedAt range, limit', async () => {
		const store = await fresh(engine);
		await store.link([input(1), input(2, { externalType: 'branch' })], { syncedAt: '2024-01-01T00:00:00.000Z' });
		await store.link([input(3, { status: 'error' }), input(4, { provider: 'asana' })], { syncedAt: '2024-06-01T12:00:00.000Z' });
		await store.link([input(5, { sourceTable: 'def_task' })], { syncedAt: '2025-01-01T00:00:00.000Z' });
		const keys = async (filter: Parameters<SyncStore['list']>[0]) => (await store.list(filter)).map((r) => r.SourceKey);
		const all = await keys({});
		expect(all[0]).toBe('key-5');
		expect(all.slice(1, 3).sort()).toEqual(['key-3', 'key-4']);
		expect(all.slice(3).sort()).toEqual(['key-1', 'key-2']);
		expect(await keys({ provider: 'asana' })).toEqual(['key-4']);
		expect((await keys({ externalType: 'branch' }))).toEqual(['key-2']);
		expect(await keys({ status: 'error' })).toEqual(['key-3']);
		expect(await keys({ sourceTable: 'def_task' })).toEqual(['key-5']);
		expect((await keys({ syncedBefore: '2024-06-01T12:00:00.000Z' })).sort()).toEqual(['key-1', 'key-2']);
		expect((await keys({ syncedAfter: '2024-06-01T12:00:00.000Z' })).sort()).toEqual(['key-3', 'key-4', 'key-5']);
		expect(await keys({ syncedAfter: '2024-03-01T00:00:00+02:00', syncedBefore: '2024-12-31T00:00:00Z', provider: 'bitbucket' })).toEqual(['key-3']);
		expect(await keys({ limit: 2 })).toHaveLength(2);
	});

	test('the package separates rows in one table', async () => {
		const table = fx.freshTable();
		const a = await openSyncStore(fx.config(engine, { table, packageName: 'pkg_a' }));
		const b = await openSyncStore(fx.config(engine, { table, packageName: 'pkg_b' }));
		const [la] = await a.link([input(1)]);
		const [lb] = await b.link([input(1)]);
		expect(la.created && lb.created).toBe(true);
		expect(la.link.Guid).not.toBe(lb.link.Guid);
		expect((await a.list({})).map((r) => r.Package)).toEqual(['pkg_a']);
		expect(await b.find([{ by: 'guid', guid: la.link.Guid }])).toEqual([[]]);
		expect(await b.unlink([{ by: 'guid', guid: la.link.Guid }])).toEqual([[]]);
		expect(await a.list({})).toHaveLength(1);
	});

	test('bad input is rejected before anything is written, naming the field and index', async () => {
		const store = await fresh(engine);
		const bad = [input(1), input(2, { sourceKey: '  ' }), input(3)];
		await expect(store.link(bad)).rejects.toMatchObject({ code: 'validation', field: 'Source Key', index: 1 });
		await expect(store.link([input(1, { status: 'done' as never })])).rejects.toMatchObject({ field: 'Status', index: 0 });
		await expect(store.link([input(1, { externalId: '' })])).rejects.toThrow('External ID is empty');
		expect(await rowCount(engine, store)).toBe(0);
	});

	test('a missing table with creation off is a clear error; invalid identifiers are refused', async () => {
		const store = await openSyncStore(fx.config(engine, { table: fx.freshTable(), createTable: false }));
		await expect(store.link([input(1)])).rejects.toMatchObject({ code: 'schema', field: 'Table Name' });
		await expect(store.link([input(1)])).rejects.toThrow(/does not exist/);
		await expect(openSyncStore(fx.config(engine, { table: 'x; DROP TABLE y' }))).rejects.toMatchObject({ field: 'Table Name' });
		await expect(openSyncStore(fx.config(engine, { table: 'a"b' }))).rejects.toThrow(/not a valid identifier/);
		if (engine === 'postgres') {
			await expect(openSyncStore(fx.config(engine, { schema: 'public; --' }))).rejects.toMatchObject({ field: 'Schema' });
		}
	});

	test('a table dropped behind a cached store is created again on the next call', async () => {
		const table = fx.freshTable();
		const store = await openSyncStore(fx.config(engine, { table }));
		await store.link([input(1)]);
		if (engine === 'postgres') await fx.pgQuery(`DROP TABLE "${table}"`);
		else {
			const db = new DatabaseSync((fx.config('sqlite') as { file: string }).file);
			db.exec(`DROP TABLE "${table}"`);
			db.close();
		}
		await expect(store.link([input(2)])).rejects.toMatchObject({ code: 'schema', field: 'Table Name' });
		const [again] = await store.link([input(2)]);
		expect(again.created).toBe(true);
	});

	test('an existing table without the unique link index: reads work, upserts are refused clearly', async () => {
		const table = fx.freshTable();
		const ddl = `CREATE TABLE "${table}" ("Guid" TEXT PRIMARY KEY, "Package" TEXT, "Provider" TEXT, "SourceTable" TEXT, "SourceKey" TEXT, "ExternalId" TEXT, "ExternalType" TEXT, "SyncStatus" TEXT, "SyncedAt" TEXT)`;
		if (engine === 'postgres') await fx.pgQuery(ddl);
		else {
			const db = new DatabaseSync((fx.config('sqlite') as { file: string }).file);
			db.exec(ddl);
			db.close();
		}
		const store = await openSyncStore(fx.config(engine, { table }));
		expect(await store.list()).toEqual([]);
		await expect(store.link([input(1)])).rejects.toThrow(/has no unique index on \(Package, Provider, SourceTable, SourceKey, ExternalType\)/);
	});

	test('a table without the Axion columns is reported, not altered', async () => {
		const table = fx.freshTable();
		if (engine === 'postgres') await fx.pgQuery(`CREATE TABLE "${table}" ("Guid" text PRIMARY KEY, "Package" text)`);
		else {
			const db = new DatabaseSync((fx.config('sqlite') as { file: string }).file);
			db.exec(`CREATE TABLE "${table}" ("Guid" TEXT PRIMARY KEY, "Package" TEXT)`);
			db.close();
		}
		const store = await openSyncStore(fx.config(engine, { table }));
		await expect(store.list()).rejects.toThrow(/lacks the column\(s\) Provider, SourceTable, SourceKey, ExternalId, ExternalType, SyncStatus, SyncedAt/);
	});
});

describe('PostgreSQL schemas', () => {
	test('a schema that does not exist is reported, not created, unless Create Schema If Missing is on', async () => {
		const schema = `missing_${process.pid}_${Date.now()}`;
		const schemaExists = async () => (await fx.pgQuery('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length === 1;
		const refusing = await openSyncStore(fx.config('postgres', { table: fx.freshTable(), schema }), { cache: false });
		try {
			await expect(refusing.link([input(1)])).rejects.toMatchObject({ code: 'schema', field: 'Schema' });
			await expect(refusing.link([input(1)])).rejects.toThrow(
				new RegExp(`Schema "${schema}" does not exist in database "${fx.pg.database}".*turn on "Create Schema If Missing"`),
			);
			expect(await schemaExists()).toBe(false);
		} finally {
			await refusing.close();
		}
		const creating = await openSyncStore(fx.config('postgres', { table: fx.freshTable(), schema, createSchema: true }), { cache: false });
		try {
			const [linked] = await creating.link([input(1)]);
			expect(linked.created).toBe(true);
			expect(await schemaExists()).toBe(true);
		} finally {
			await creating.close();
			await fx.pgQuery(`DROP SCHEMA "${schema}" CASCADE`);
		}
	});
});

describe('existing Axion tables are used as they are', () => {
	test('PostgreSQL: text Guid, timestamptz SyncedAt in a non-UTC session, narrow ExternalId', async () => {
		const table = fx.freshTable('axion');
		await fx.pgQuery(`CREATE SCHEMA IF NOT EXISTS "Axion"`);
		await fx.pgQuery(`CREATE TABLE "Axion"."${table}" (
			"Guid" text PRIMARY KEY, "Package" varchar(50) NOT NULL, "Provider" varchar(50) NOT NULL,
			"SourceTable" varchar(100) NOT NULL, "SourceKey" varchar(100) NOT NULL, "ExternalId" varchar(10) NOT NULL,
			"ExternalType" varchar(50) NOT NULL, "SyncStatus" varchar(20) NOT NULL, "SyncedAt" timestamptz NOT NULL,
			"Extra" text)`);
		await fx.pgQuery(`CREATE UNIQUE INDEX ON "Axion"."${table}" ("ExternalType", "Package", "Provider", "SourceTable", "SourceKey")`);
		await fx.pgQuery(`ALTER ROLE ${fx.pg.user} SET timezone TO 'Asia/Kolkata'`);
		try {
			const store = await openSyncStore(fx.config('postgres', { table, schema: 'Axion' }), { cache: false });
			try {
				const [r] = await store.link([input(1)], { syncedAt: '2025-03-04T05:06:07.089Z' });
				expect(r).toMatchObject({ created: true, link: { SyncedAt: '2025-03-04T05:06:07.089Z' } });
				const raw = await fx.pgQuery<{ utc: string }>(`SELECT to_char("SyncedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS utc FROM "Axion"."${table}"`);
				expect(raw[0].utc).toBe('2025-03-04 05:06:07.089');
				expect((await store.list({ syncedBefore: '2025-03-04T05:06:07.090Z' })).length).toBe(1);
				expect((await store.list({ syncedAfter: '2025-03-04T05:06:07.090Z' })).length).toBe(0);
				// Too long for varchar(10): the whole batch fails without isolation, nothing written.
				await expect(store.link([input(2), input(3, { externalId: 'x'.repeat(11) })])).rejects.toMatchObject({ code: 'database', dbCode: '22001' });
				expect((await store.list({})).length).toBe(1);
				// With isolation (Continue On Fail) the good rows are written and the bad one reported.
				const outcomes = await store.linkIsolated([input(2), input(3, { externalId: 'x'.repeat(11) }), input(4)], { isolateRowErrors: true });
				expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
				expect(outcomes[1].ok ? '' : outcomes[1].error.message).toMatch(/too long/);
				expect((await store.list({})).map((l) => l.SourceKey).sort()).toEqual(['key-1', 'key-2', 'key-4']);
				expect((await store.find([{ by: 'guid', guid: 'NOT-A-UUID-BUT-TEXT' }]))[0]).toEqual([]);
			} finally {
				await store.close();
			}
		} finally {
			await fx.pgQuery(`ALTER ROLE ${fx.pg.user} RESET timezone`);
		}
	});

	test('SQLite: existing table with a CHECK constraint and space-separated timestamps', async () => {
		const table = fx.freshTable('axion');
		const file = (fx.config('sqlite') as { file: string }).file;
		const db = new DatabaseSync(file);
		db.exec(`CREATE TABLE "${table}" ("Guid" TEXT PRIMARY KEY, "Package" TEXT, "Provider" TEXT, "SourceTable" TEXT, "SourceKey" TEXT,
			"ExternalId" TEXT CHECK (length("ExternalId") <= 10), "ExternalType" TEXT, "SyncStatus" TEXT, "SyncedAt" TEXT)`);
		db.exec(`CREATE UNIQUE INDEX "${table}_u" ON "${table}" ("Package", "Provider", "SourceTable", "SourceKey", "ExternalType")`);
		db.exec(`INSERT INTO "${table}" VALUES ('g-old', 'axion_test', 'bitbucket', 'def_project', 'key-0', 'ext-0', 'pullrequest', 'synced', '2024-01-01 10:00:00')`);
		db.close();
		const store = await openSyncStore(fx.config('sqlite', { table }));
		expect((await store.list({}))[0]).toMatchObject({ Guid: 'g-old', SyncedAt: '2024-01-01T10:00:00.000Z' });
		expect((await store.list({ syncedBefore: '2024-01-01T10:00:01Z' })).length).toBe(1);
		await expect(store.link([input(1), input(2, { externalId: 'x'.repeat(11) })])).rejects.toMatchObject({ code: 'database' });
		const outcomes = await store.linkIsolated([input(1), input(2, { externalId: 'x'.repeat(11) })], { isolateRowErrors: true });
		expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
		expect((await store.list({})).map((l) => l.SourceKey).sort()).toEqual(['key-0', 'key-1']);
	});
});

describe('PostgreSQL statement forms', () => {
	test('multi-row VALUES statements (used before the column types are known) give the same results', async () => {
		const store = await openSyncStore(fx.config('postgres', { table: fx.freshTable() }), { cache: false });
		try {
			await store.list();
			// Forget the column types: upserts and look-ups fall back to multi-row VALUES with 7 parameters a row.
			(store as unknown as { castTypes?: Map<string, string> }).castTypes = undefined;
			const inputs = Array.from({ length: 12_000 }, (_, i) => input(i, { externalId: i % 2 ? `'"\\${i}` : `${i}` }));
			const results = await store.link(inputs);
			expect(results.filter((r) => r.created)).toHaveLength(12_000);
			expect((await store.link(inputs.slice(0, 10))).map((r) => r.created)).toEqual(new Array(10).fill(false));
			const found = await store.findByExternal(inputs);
			expect(found.every((rows, i) => rows.length === 1 && rows[0].SourceKey === `key-${i}`)).toBe(true);
			const bySource = await store.findBySource(inputs.slice(0, 100));
			expect(bySource.every((rows, i) => rows[0]?.ExternalId === inputs[i].externalId)).toBe(true);
		} finally {
			await store.close();
		}
	});
});

describe('configuration', () => {
	test('SQLite file and package defaults', () => {
		expect(resolveSqliteFile('', { N8N_USER_FOLDER: '/data/n8n' })).toBe('/data/n8n/.n8n/axion-sync.sqlite');
		expect(resolveSqliteFile('sub/x.sqlite', { N8N_USER_FOLDER: '/data/n8n' })).toBe('/data/n8n/.n8n/sub/x.sqlite');
		expect(resolveSqliteFile('/abs/x.sqlite', {})).toBe('/abs/x.sqlite');
		expect(resolveSqliteFile(undefined, {})).toMatch(/\/\.n8n\/axion-sync\.sqlite$/);
		expect(resolvePackage('', { AXION_PACKAGE: 'crm' })).toBe('crm');
		expect(resolvePackage('  ', {})).toBe('axion');
		expect(resolvePackage('own', { AXION_PACKAGE: 'crm' })).toBe('own');
	});

	test('SQLite in n8n queue mode is refused, naming the setting, unless the file is shared by all workers', () => {
		const queue = { EXECUTIONS_MODE: 'queue', N8N_USER_FOLDER: '/data/n8n' };
		expect(() => resolveStoreConfig({ engine: 'sqlite' }, queue)).toThrow(
			/n8n runs in queue mode \(EXECUTIONS_MODE=queue\), where every worker would open its own SQLite file \/data\/n8n\/\.n8n\/axion-sync\.sqlite.*Use PostgreSQL \(recommended\), or.*turn on "File Shared by All Workers"/,
		);
		expect(() => resolveStoreConfig({ engine: 'sqlite' }, queue)).toThrow(expect.objectContaining({ field: 'SQLite File', code: 'config' }));
		expect(resolveStoreConfig({ engine: 'sqlite', sharedByAllWorkers: true }, queue)).toMatchObject({ engine: 'sqlite', file: '/data/n8n/.n8n/axion-sync.sqlite' });
		expect(resolveStoreConfig({ engine: 'sqlite' }, { EXECUTIONS_MODE: 'regular' })).toMatchObject({ engine: 'sqlite' });
		expect(resolveStoreConfig({ engine: 'postgres', host: 'db', database: 'axion', user: 'u' }, queue)).toMatchObject({ engine: 'postgres' });
	});

	test('unknown engine and bad PostgreSQL settings name the field', async () => {
		await expect(openSyncStore({ engine: 'mysql' } as never)).rejects.toMatchObject({ field: 'Engine' });
		await expect(openSyncStore({ ...(fx.config('postgres') as object), host: '' } as never)).rejects.toMatchObject({ field: 'Host' });
		await expect(openSyncStore({ ...(fx.config('postgres') as object), port: 70000 } as never)).rejects.toMatchObject({ field: 'Port' });
		await expect(openSyncStore({ ...(fx.config('postgres') as object), ssl: 'maybe' } as never)).rejects.toMatchObject({ field: 'SSL' });
	});

	test('connection failures name the field and never contain the password', async () => {
		const password = fx.pg.password;
		const cases: [Record<string, unknown>, string][] = [
			[{ password: 'wrong-password-123' }, 'Password'],
			[{ database: 'no_such_db' }, 'Database'],
			[{ port: 1 }, 'Host'],
		];
		for (const [over, field] of cases) {
			const store = await openSyncStore({ ...(fx.config('postgres', { table: fx.freshTable() }) as object), ...over } as never, { cache: false });
			try {
				const error = await store.list().then(
					() => undefined,
					(e: unknown) => e,
				);
				expect(error).toBeInstanceOf(SyncStoreError);
				expect(error).toMatchObject({ field });
				const text = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, error });
				expect(text).not.toContain(password);
				expect(text).not.toContain('wrong-password-123');
			} finally {
				await store.close();
			}
		}
	});
});
