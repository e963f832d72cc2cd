/**
 * Shared set-up of the sync tests: a temporary folder for SQLite files, a real PostgreSQL server, and
 * configurations/credentials pointing at a fresh table per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { closeAllSyncStores, type SyncEngine, type SyncStoreConfig } from '../../nodes/shared/sync';
import { startPostgres, type PostgresServer } from '../../dev/postgres';

export const ENGINES: SyncEngine[] = ['sqlite', 'postgres'];

export interface SyncFixture {
	dir: string;
	pg: PostgresServer;
	/** A table name not used before in this run. */
	freshTable(prefix?: string): string;
	config(engine: SyncEngine, overrides?: Partial<{ table: string; packageName: string; createTable: boolean; file: string; schema: string; createSchema: boolean }>): SyncStoreConfig;
	/** Axion Database credential data for the engine. */
	credentials(engine: SyncEngine, overrides?: Record<string, string | number | boolean>): Record<string, string | number | boolean>;
	/** Runs SQL on the PostgreSQL test database. */
	pgQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
}

let counter = 0;

export async function startSyncFixture(): Promise<SyncFixture> {
	const dir = mkdtempSync(join(tmpdir(), 'axion-sync-test-'));
	const pg = await startPostgres();
	const admin = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database });
	await admin.connect();
	const sqliteFile = join(dir, 'sync.sqlite');
	return {
		dir,
		pg,
		freshTable: (prefix = 't') => `${prefix}_${process.pid}_${++counter}`,
		config: (engine, o = {}) =>
			engine === 'sqlite'
				? { engine, file: o.file ?? sqliteFile, table: o.table, packageName: o.packageName ?? 'axion_test', createTable: o.createTable }
				: {
						engine,
						host: pg.host,
						port: pg.port,
						database: pg.database,
						user: pg.user,
						password: pg.password,
						schema: o.schema,
						createSchema: o.createSchema,
						table: o.table,
						packageName: o.packageName ?? 'axion_test',
						createTable: o.createTable,
					},
		credentials: (engine, o = {}) =>
			engine === 'sqlite'
				? { engine, sqliteFile, packageName: 'axion_test', ...o }
				: {
						engine,
						host: pg.host,
						port: pg.port,
						database: pg.database,
						user: pg.user,
						password: pg.password,
						ssl: 'disable',
						packageName: 'axion_test',
						...o,
					},
		pgQuery: async <T>(sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows as T[],
		close: async () => {
			await closeAllSyncStores();
			await admin.end().catch(() => undefined);
			await pg.stop();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
