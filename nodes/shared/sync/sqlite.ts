/**
 * def_integration_sync on SQLite through Node's built-in `node:sqlite` (nothing to compile).
 *
 * Concurrency: the file is in WAL mode with a busy timeout; every write transaction starts with
 * BEGIN IMMEDIATE, so writers from several processes queue on SQLite's write lock instead of failing,
 * and readers keep reading meanwhile. Within one process, one handle per file is shared and its
 * transactions are serialised by a queue (node:sqlite is synchronous; the queue keeps two executions'
 * transactions from interleaving on the shared connection).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import type { ResolvedSqliteConfig } from './config';
import { createTableStatements, isLinkKeyIndex, quoteIdent } from './schema';
import { SqlSyncStore, type SqlExecutor, type SqlRow, type SqlValue, type TransactionMode } from './sql';
import { SYNC_COLUMNS, SyncStoreError, errorMessage, type EnsureResult, type TableInfo } from './store';

/**
 * SQLite runs in-process: there is no round trip to save, only statement work. Measured with node:sqlite,
 * one prepared single-row upsert executed per row inside one transaction is faster than multi-row VALUES
 * (10,000 rows: ~80 ms against 130-450 ms for 50-500-row statements), so the upsert "chunk" is one row
 * and the batching is the transaction; it returns only the Guid, as an array (building full row objects
 * cost more than the upsert). Look-ups are one prepared index probe per key in one loop: 10,000 keys in
 * about half the time of a join against VALUES lists of 100 keys.
 */
const UPSERT_CHUNK_ROWS = 1;
const LOOKUP_CHUNK_ROWS = 1;
const STATEMENT_CACHE_SIZE = 64;

/** SQLite primary result codes we act on. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;
const SQLITE_TOOBIG = 18;
const SQLITE_CONSTRAINT = 19;
const SQLITE_MISMATCH = 20;
const SQLITE_NOTADB = 26;

interface SqliteDriverError {
	errcode?: number;
	errstr?: string;
	message?: string;
}

function primaryCode(error: unknown): number | undefined {
	const code = (error as SqliteDriverError | null)?.errcode;
	return typeof code === 'number' ? code & 0xff : undefined;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One connection to a file, shared by the stores of this process. */
class SqliteHandle {
	refs = 0;
	private tail: Promise<unknown> = Promise.resolve();
	private readonly statements = new Map<string, StatementSync>();

	constructor(
		readonly file: string,
		readonly db: DatabaseSync,
	) {}

	prepare(sql: string, options: { arrays?: boolean } = {}): StatementSync {
		const key = options.arrays ? `arrays|${sql}` : sql;
		let statement = this.statements.get(key);
		if (!statement) {
			if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
			statement = this.db.prepare(sql);
			if (options.arrays) statement.setReturnArrays(true);
			this.statements.set(key, statement);
		}
		return statement;
	}

	/** Runs `fn` after every earlier call on this handle has finished. */
	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.tail.then(fn, fn);
		this.tail = run.then(
			() => undefined,
			() => undefined,
		);
		return run;
	}

	close(): void {
		this.statements.clear();
		if (this.db.isOpen) this.db.close();
	}
}

const handles = new Map<string, Promise<SqliteHandle>>();

function openError(file: string, error: unknown): SyncStoreError {
	return new SyncStoreError('connection', `Cannot open the SQLite file ${file}: ${errorMessage(error)}`, {
		field: 'SQLite File',
		dbCode: primaryCode(error)?.toString(),
	});
}

async function openHandle(file: string, busyTimeoutMs: number): Promise<SqliteHandle> {
	let sqlite: typeof import('node:sqlite');
	try {
		sqlite = await import('node:sqlite');
	} catch (error) {
		throw new SyncStoreError(
			'config',
			`This Node.js (${process.version}) has no node:sqlite; SQLite needs Node.js 22.13 or later. Use PostgreSQL instead. (${errorMessage(error)})`,
			{ field: 'Engine' },
		);
	}
	let db: DatabaseSync;
	try {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		db = new sqlite.DatabaseSync(file);
	} catch (error) {
		throw openError(file, error);
	}
	try {
		db.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`);
		// Switching to WAL needs a moment of exclusive access; a concurrent opener may hold the file.
		for (let attempt = 1; ; attempt++) {
			try {
				db.exec('PRAGMA journal_mode = WAL');
				break;
			} catch (error) {
				const code = primaryCode(error);
				if ((code === SQLITE_BUSY || code === SQLITE_LOCKED) && attempt < 50) {
					await sleep(50 + Math.floor(Math.random() * 50));
					continue;
				}
				throw error;
			}
		}
		// Every commit is durable: a lost link could make the next sync create a duplicate external object.
		db.exec('PRAGMA synchronous = FULL');
		// 16 MB page cache (default 2 MB): keeps the table and its three indexes in memory for large batches.
		db.exec('PRAGMA cache_size = -16000');
	} catch (error) {
		db.close();
		throw openError(file, error);
	}
	return new SqliteHandle(file, db);
}

async function acquireHandle(file: string, busyTimeoutMs: number): Promise<SqliteHandle> {
	let pending = handles.get(file);
	if (!pending) {
		pending = openHandle(file, busyTimeoutMs);
		handles.set(file, pending);
		pending.catch(() => handles.delete(file));
	}
	const handle = await pending;
	handle.refs++;
	return handle;
}

function releaseHandle(handle: SqliteHandle): void {
	handle.refs--;
	if (handle.refs <= 0) {
		handles.delete(handle.file);
		handle.close();
	}
}

export class SqliteSyncStore extends SqlSyncStore {
	readonly engine = 'sqlite' as const;
	readonly tableName: string;
	protected readonly upsertChunkRows = UPSERT_CHUNK_ROWS;
	protected readonly lookupChunkRows = LOOKUP_CHUNK_ROWS;
	/** SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32. */
	protected readonly maxParams = 32766;
	protected readonly qualifiedTable: string;
	protected readonly insertedExpression = null;
	protected readonly forUpdateClause = '';
	private closed = false;

	private constructor(
		private readonly config: ResolvedSqliteConfig,
		private readonly handle: SqliteHandle,
	) {
		super({ packageName: config.packageName, createTable: config.createTable });
		this.qualifiedTable = quoteIdent(config.table);
		this.tableName = `${config.table} in ${config.file}`;
	}

	/** Opens (or shares) the file's handle. */
	static async open(config: ResolvedSqliteConfig): Promise<SqliteSyncStore> {
		const handle = await acquireHandle(config.file, config.busyTimeoutMs);
		return new SqliteSyncStore(config, handle);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		// Wait for queued transactions before letting the handle go.
		await this.handle.exclusive(async () => undefined);
		releaseHandle(this.handle);
	}

	async inspect(): Promise<TableInfo> {
		return await this.transaction('read', async (tx) => {
			const [version] = await tx.query('SELECT sqlite_version() AS v', []);
			const exists = (await tx.query(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`, [this.config.table])).length > 0;
			const info: TableInfo = {
				name: this.tableName,
				exists,
				missingColumns: [],
				hasUniqueKey: false,
				server: `SQLite ${String(version?.v ?? '')}`,
			};
			if (!exists) return info;
			const columns = new Set((await tx.query('SELECT name FROM pragma_table_info(?)', [this.config.table])).map((r) => String(r.name)));
			info.missingColumns = SYNC_COLUMNS.filter((c) => !columns.has(c));
			const indexRows = await tx.query(
				`SELECT il.name AS idx, ii.name AS col FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii WHERE il."unique" = 1 AND il.partial = 0`,
				[this.config.table],
			);
			const byIndex = new Map<string, string[]>();
			for (const r of indexRows) byIndex.set(String(r.idx), [...(byIndex.get(String(r.idx)) ?? []), String(r.col)]);
			info.hasUniqueKey = [...byIndex.values()].some(isLinkKeyIndex);
			return info;
		});
	}

	async ensureTable(): Promise<EnsureResult> {
		return await this.transaction('write', async (tx) => {
			const exists = (await tx.query(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`, [this.config.table])).length > 0;
			if (exists) return { created: false };
			for (const statement of createTableStatements('sqlite', this.config.table, this.qualifiedTable)) {
				await tx.query(statement, []);
			}
			return { created: true };
		});
	}

	protected async transaction<T>(mode: TransactionMode, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
		if (this.closed) throw new SyncStoreError('config', 'The SQLite store is closed');
		const handle = this.handle;
		const executor: SqlExecutor = {
			query: async (sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> => {
				const statement = handle.prepare(sql);
				return statement.all(...(params as SQLInputValue[])) as SqlRow[];
			},
			queryEach: async (sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<SqlRow[][]> => {
				const statement = handle.prepare(sql);
				return paramSets.map((params) => statement.all(...(params as SQLInputValue[])) as SqlRow[]);
			},
			firstValueEach: async (sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<unknown[]> => {
				const statement = handle.prepare(sql, { arrays: true });
				return paramSets.map((params) => (statement.get(...(params as SQLInputValue[])) as unknown[] | undefined)?.[0]);
			},
		};
		return await handle.exclusive(async () => {
			try {
				handle.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
			} catch (error) {
				throw this.toStoreError(error);
			}
			try {
				const result = await fn(executor);
				handle.db.exec('COMMIT');
				return result;
			} catch (error) {
				if (handle.db.isTransaction) {
					try {
						handle.db.exec('ROLLBACK');
					} catch {
						// The connection already ended the transaction.
					}
				}
				throw error instanceof SyncStoreError ? error : this.toStoreError(error);
			}
		});
	}

	protected param(n: number): string {
		return `?${n}`;
	}

	protected syncedAtCondition(op: '<' | '>=', placeholder: string): string {
		// julianday() compares ISO strings with or without 'T'/'Z' correctly.
		return `julianday("SyncedAt") ${op} julianday(${placeholder})`;
	}

	protected guidParam(guid: string): string | null {
		return guid;
	}

	protected guidKey(guid: string): string {
		return guid;
	}

	protected isRowError(error: unknown): boolean {
		const code = error instanceof SyncStoreError ? Number(error.dbCode) : primaryCode(error);
		return code === SQLITE_CONSTRAINT || code === SQLITE_TOOBIG || code === SQLITE_MISMATCH;
	}

	protected toStoreError(error: unknown): SyncStoreError {
		if (error instanceof SyncStoreError) return error;
		const code = primaryCode(error);
		const dbCode = code?.toString();
		const message = errorMessage(error);
		if (code === SQLITE_BUSY || code === SQLITE_LOCKED) {
			return new SyncStoreError(
				'busy',
				`The SQLite file ${this.config.file} stayed locked by another writer for longer than the busy timeout (${this.config.busyTimeoutMs} ms): ${message}`,
				{ field: 'SQLite File', dbCode },
			);
		}
		if (/no such table/i.test(message)) {
			return new SyncStoreError('schema', `SQLite table ${this.tableName} does not exist: ${message}`, { field: 'Table Name', dbCode });
		}
		if (code === SQLITE_CANTOPEN || code === SQLITE_NOTADB || code === SQLITE_READONLY) {
			return new SyncStoreError('connection', `SQLite file ${this.config.file}: ${message}`, { field: 'SQLite File', dbCode });
		}
		return new SyncStoreError('database', `SQLite error on ${this.tableName}: ${message}`, { dbCode });
	}
}
