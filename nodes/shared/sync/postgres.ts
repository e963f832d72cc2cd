/**
 * def_integration_sync on PostgreSQL through `pg`.
 *
 * Concurrency: upserts are INSERT … ON CONFLICT … DO UPDATE, which PostgreSQL makes atomic per key even
 * with many writers; every batch writes its keys in one sorted order so concurrent batches wait for each
 * other rather than deadlock, and a transaction that still hits a deadlock or serialization failure is
 * retried as a whole (it has not been committed, and its inputs are in memory). Creating the table takes
 * a transaction-scoped advisory lock, so concurrent creators run one after the other.
 */
import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { Pool, types as pgTypes, type CustomTypesConfig, type PoolClient, type PoolConfig } from 'pg';

import { poolKey, type ResolvedPostgresConfig } from './config';
import { SELECT_COLUMNS, createTableStatements, isLinkKeyIndex, quoteIdent } from './schema';
import { SqlSyncStore, type PendingLink, type SqlExecutor, type SqlRow, type SqlValue, type TransactionMode } from './sql';
import { SYNC_COLUMNS, SyncStoreError, errorMessage, redact, type EnsureResult, type SyncColumn, type TableInfo } from './store';

/**
 * Once the column types are known, upserts and look-ups bind one array per column and read them with
 * unnest(): 9 parameters whatever the row count, one parse and plan per statement. Measured against
 * multi-row VALUES (7 parameters per row, at most 65535 per statement) on 10,000 links: ~20 % faster.
 * Look-ups whose keys differ in one column only use `column = ANY(array)` (see lookupStatement).
 * Rows per statement stay bounded to keep each statement's memory modest. Guid IN lists (Set Status,
 * Unlink) bind one parameter per Guid, well below the limit.
 */
const UPSERT_CHUNK_ROWS = 5000;
/** Look-ups keep nothing per key on the server: one statement answers 20,000 keys (one round trip). */
const LOOKUP_CHUNK_ROWS = 20000;
const MAX_ATTEMPTS = 6;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQLSTATEs retried as a whole transaction. */
const RETRYABLE = new Set(['40P01', '40001']);
/** SQLSTATE classes of errors caused by one row's values. */
const ROW_ERROR_CLASSES = ['22', '23'];

interface PgDriverError {
	code?: string;
	message?: string;
	detail?: string;
	hint?: string;
}

function driverError(error: unknown): PgDriverError {
	return typeof error === 'object' && error !== null ? (error as PgDriverError) : {};
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Timestamps come back as the server's text, so no local time zone is applied; the store normalises them. */
const TIMESTAMP_OIDS = new Set([1114, 1184]);
const typeParsers: CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		TIMESTAMP_OIDS.has(oid)
			? (value: string) => value
			: pgTypes.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

interface PoolEntry {
	key: string;
	pool: Pool;
	refs: number;
}

const pools = new Map<string, Promise<PoolEntry>>();

function sslOption(config: ResolvedPostgresConfig, mode: 'plain' | 'encrypted'): PoolConfig['ssl'] {
	if (mode === 'plain') return false;
	if (config.ssl === 'verify-full') {
		const tls: ConnectionOptions = { rejectUnauthorized: true };
		if (config.caCertificate) tls.ca = config.caCertificate;
		return tls;
	}
	// require / allow: encrypted, certificate not verified (libpq's sslmode=require).
	return { rejectUnauthorized: false };
}

function createPool(config: ResolvedPostgresConfig, mode: 'plain' | 'encrypted'): Pool {
	const pool = new Pool({
		host: config.host,
		port: config.port,
		database: config.database,
		user: config.user,
		password: config.password,
		ssl: sslOption(config, mode),
		max: config.poolSize,
		idleTimeoutMillis: 30_000,
		connectionTimeoutMillis: config.connectTimeoutMs,
		allowExitOnIdle: true,
		application_name: 'axion-sync',
		types: typeParsers,
	});
	// An idle connection dropped by the server must not crash the process; the pool replaces it.
	pool.on('error', () => undefined);
	return pool;
}

async function openPool(config: ResolvedPostgresConfig, key: string): Promise<PoolEntry> {
	if (config.ssl !== 'allow') {
		return { key, pool: createPool(config, config.ssl === 'disable' ? 'plain' : 'encrypted'), refs: 0 };
	}
	// sslmode=allow: try without SSL first, then with SSL.
	const plain = createPool(config, 'plain');
	try {
		(await plain.connect()).release();
		return { key, pool: plain, refs: 0 };
	} catch (plainError) {
		await plain.end().catch(() => undefined);
		const encrypted = createPool(config, 'encrypted');
		try {
			(await encrypted.connect()).release();
			return { key, pool: encrypted, refs: 0 };
		} catch {
			await encrypted.end().catch(() => undefined);
			throw plainError;
		}
	}
}

async function acquirePool(config: ResolvedPostgresConfig): Promise<PoolEntry> {
	const key = poolKey(config);
	let pending = pools.get(key);
	if (!pending) {
		pending = openPool(config, key);
		pools.set(key, pending);
		pending.catch(() => pools.delete(key));
	}
	const entry = await pending;
	entry.refs++;
	return entry;
}

async function releasePool(entry: PoolEntry): Promise<void> {
	entry.refs--;
	if (entry.refs <= 0) {
		pools.delete(entry.key);
		await entry.pool.end();
	}
}

/** Network failures in words (the code stays in `dbCode`). */
const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused (is the server running and listening on this host and port?)',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed (DNS)',
	ETIMEDOUT: 'timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset by the server',
};

/** Turns a driver error into a SyncStoreError naming the credential field at fault; never with the password. */
export function pgStoreError(error: unknown, config: ResolvedPostgresConfig, where: string): SyncStoreError {
	if (error instanceof SyncStoreError) return error;
	const e = driverError(error);
	const secrets = [config.password];
	const code = typeof e.code === 'string' ? e.code : '';
	const text = redact(
		[errorMessage(error), e.detail ? `Detail: ${e.detail}` : '', e.hint ? `Hint: ${e.hint}` : ''].filter(Boolean).join('. '),
		secrets,
	);
	const server = `${config.host}:${config.port}`;
	const make = (kind: SyncStoreError['code'], message: string, field?: string) =>
		new SyncStoreError(kind, redact(message, secrets), { field, dbCode: code || undefined });

	if (code === '28P01') return make('authentication', `PostgreSQL rejected the password for user "${config.user}" at ${server}`, 'Password');
	if (code === '28000') return make('authentication', `PostgreSQL refused user "${config.user}" at ${server}: ${text}`, 'User');
	if (code === '3D000') return make('connection', `Database "${config.database}" does not exist at ${server}`, 'Database');
	if (code === '3F000') return make('schema', `${where}: schema does not exist (${text})`, 'Schema');
	if (code === '42501') return make('authentication', `User "${config.user}" lacks a privilege on ${where}: ${text}`, 'User');
	if (code === '42P01') return make('schema', `${where} does not exist: ${text}`, 'Table Name');
	if (RETRYABLE.has(code)) return make('busy', `PostgreSQL kept aborting the transaction on ${where} (${code}): ${text}`);
	if (code.startsWith('08') || code === '57P01' || code === '57P03') {
		return make('connection', `Lost the connection to PostgreSQL at ${server}: ${text}`, 'Host');
	}
	const isSqlState = /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E');
	const looksLikeNetwork = /^E[A-Z]+$/.test(code) || /timeout|terminated|connect|ssl|certificate|self[- ]signed|tls|socket/i.test(text);
	if (!isSqlState && looksLikeNetwork) {
		if (/ssl|certificate|self[- ]signed|tls/i.test(text)) {
			return make('connection', `SSL problem with PostgreSQL at ${server}: ${text}`, 'SSL');
		}
		const reason = NETWORK_REASONS[code] ?? text;
		return make('connection', `Cannot connect to PostgreSQL at ${server}: ${reason}`, 'Host');
	}
	return make('database', `PostgreSQL error${code ? ` ${code}` : ''} on ${where}: ${text}`);
}

export class PostgresSyncStore extends SqlSyncStore {
	readonly engine = 'postgres' as const;
	readonly tableName: string;
	protected readonly upsertChunkRows = UPSERT_CHUNK_ROWS;
	protected readonly lookupChunkRows = LOOKUP_CHUNK_ROWS;
	/** The protocol's limit (a 16-bit parameter count). */
	protected readonly maxParams = 65535;
	protected readonly qualifiedTable: string;
	protected readonly insertedExpression = '(xmax = 0) AS "inserted"';
	protected readonly forUpdateClause = ' FOR UPDATE OF t';
	/** Name as to_regclass() reads it. */
	private readonly regclassName: string;
	private guidIsUuid = false;
	/** Column → type without modifiers (e.g. `character varying`), for array casts; known after inspect(). */
	private castTypes?: Map<string, string>;
	private closed = false;

	private constructor(
		private readonly config: ResolvedPostgresConfig,
		private readonly entry: PoolEntry,
	) {
		super({ packageName: config.packageName, createTable: config.createTable });
		this.qualifiedTable = `${quoteIdent(config.schema)}.${quoteIdent(config.table)}`;
		this.regclassName = this.qualifiedTable;
		this.tableName = `${config.schema}.${config.table}`;
	}

	/** Opens (or shares) the pool of these connection settings. */
	static async open(config: ResolvedPostgresConfig): Promise<PostgresSyncStore> {
		let entry: PoolEntry;
		try {
			entry = await acquirePool(config);
		} catch (error) {
			throw pgStoreError(error, config, `${config.schema}.${config.table}`);
		}
		return new PostgresSyncStore(config, entry);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await releasePool(this.entry);
	}

	async inspect(): Promise<TableInfo> {
		return await this.transaction('read', async (tx) => {
			const [head] = await tx.query(
				`SELECT current_setting('server_version') AS version, to_regclass($1) IS NOT NULL AS "exists"`,
				[this.regclassName],
			);
			const info: TableInfo = {
				name: this.tableName,
				exists: head?.exists === true,
				missingColumns: [],
				hasUniqueKey: false,
				server: `PostgreSQL ${String(head?.version ?? '')}`,
			};
			if (!info.exists) return info;
			// Base types without modifiers: an array cast to varchar(n) would truncate silently, whereas
			// assigning text to a varchar(n) column rejects values that are too long.
			const columns = await tx.query(
				`SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type FROM pg_attribute a
				 WHERE a.attrelid = to_regclass($1)::oid AND a.attnum > 0 AND NOT a.attisdropped`,
				[this.regclassName],
			);
			const types = new Map(columns.map((c) => [String(c.name), String(c.type)]));
			info.missingColumns = SYNC_COLUMNS.filter((c) => !types.has(c));
			this.guidIsUuid = types.get('Guid') === 'uuid';
			this.castTypes = info.missingColumns.length === 0 ? types : undefined;
			const indexes = await tx.query(
				`SELECT array_agg(a.attname::text) AS cols FROM pg_index i
				 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
				 WHERE i.indrelid = to_regclass($1)::oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
				 GROUP BY i.indexrelid`,
				[this.regclassName],
			);
			info.hasUniqueKey = indexes.some((r) => Array.isArray(r.cols) && isLinkKeyIndex(r.cols.map(String)));
			return info;
		});
	}

	async ensureTable(): Promise<EnsureResult> {
		const lockKey = createHash('sha256').update(`axion-sync:${this.tableName}`).digest();
		try {
			return await this.transaction('write', async (tx) => {
				const [exists] = await tx.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [this.regclassName]);
				if (exists?.exists === true) return { created: false };
				// Concurrent creators wait here for the first one, then find the table.
				await tx.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [lockKey.readInt32BE(0), lockKey.readInt32BE(4)]);
				const [again] = await tx.query(
					`SELECT to_regclass($1) IS NOT NULL AS "exists", EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2) AS "schema",
					 current_setting('server_version_num')::int AS num`,
					[this.regclassName, this.config.schema],
				);
				if (again?.exists === true) return { created: false };
				if (again?.schema !== true) {
					if (!this.config.createSchema) {
						throw new SyncStoreError(
							'schema',
							`Schema "${this.config.schema}" does not exist in database "${this.config.database}", so table ${this.tableName} cannot be created. Check the schema name, create the schema, or turn on "Create Schema If Missing".`,
							{ field: 'Schema' },
						);
					}
					await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.config.schema)}`, []);
				}
				const statements = createTableStatements('postgres', this.config.table, this.qualifiedTable, {
					pgUuidDefault: Number(again?.num) >= 130000,
				});
				for (const statement of statements) await tx.query(statement, []);
				return { created: true };
			});
		} catch (error) {
			// Someone created it outside the advisory lock (e.g. Axion itself) at the same moment.
			if (error instanceof SyncStoreError && ['42P07', '23505', '42P06'].includes(error.dbCode ?? '')) {
				const info = await this.inspect();
				if (info.exists) return { created: false };
			}
			throw error;
		}
	}

	protected async transaction<T>(mode: TransactionMode, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
		if (this.closed) throw new SyncStoreError('config', 'The PostgreSQL store is closed');
		for (let attempt = 1; ; attempt++) {
			let client: PoolClient;
			try {
				client = await this.entry.pool.connect();
			} catch (error) {
				throw pgStoreError(error, this.config, this.tableName);
			}
			const executor: SqlExecutor = {
				query: async (sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> => {
					const result = await client.query<SqlRow>({ text: sql, values: [...params] });
					return result.rows;
				},
			};
			let released = false;
			const release = (destroy: boolean) => {
				if (released) return;
				released = true;
				client.release(destroy);
			};
			try {
				await client.query(mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN');
				const result = await fn(executor);
				await client.query('COMMIT');
				release(false);
				return result;
			} catch (error) {
				let broken = false;
				try {
					await client.query('ROLLBACK');
				} catch {
					broken = true;
				}
				release(broken);
				const code = driverError(error).code ?? '';
				if (RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
					await sleep(10 * attempt + Math.floor(Math.random() * 40 * attempt));
					continue;
				}
				throw pgStoreError(error, this.config, this.tableName);
			}
		}
	}

	protected param(n: number): string {
		return `$${n}`;
	}

	/** With arrays the parameter count does not grow with the rows. */
	protected upsertRowsPerStatement(): number {
		return this.castTypes ? UPSERT_CHUNK_ROWS : super.upsertRowsPerStatement();
	}

	protected lookupTuplesPerStatement(columns: number): number {
		return this.castTypes ? LOOKUP_CHUNK_ROWS : super.lookupTuplesPerStatement(columns);
	}

	private castOf(column: SyncColumn): string {
		return this.castTypes?.get(column) ?? 'text';
	}

	/** INSERT … SELECT FROM unnest(arrays) … ON CONFLICT DO UPDATE … RETURNING. */
	protected upsertStatement(part: PendingLink[], syncedAt: string): { sql: string; params: SqlValue[] } {
		if (!this.castTypes) return super.upsertStatement(part, syncedAt);
		const arrays: SyncColumn[] = ['Guid', 'Provider', 'SourceTable', 'SourceKey', 'ExternalId', 'ExternalType', 'SyncStatus'];
		const unnest = arrays.map((c, i) => `$${i + 3}::${this.castOf(c)}[]`).join(', ');
		const sql =
			`INSERT INTO ${this.qualifiedTable} (${SELECT_COLUMNS}) ` +
			`SELECT k.g, $1::${this.castOf('Package')}, k.p, k.st, k.sk, k.ei, k.et, k.ss, $2::${this.castOf('SyncedAt')} ` +
			`FROM unnest(${unnest}) AS k(g, p, st, sk, ei, et, ss) ${this.conflictClause()} RETURNING ${this.returningClause()}`;
		return {
			sql,
			params: [
				this.packageName,
				syncedAt,
				part.map((p) => p.guid),
				part.map((p) => p.input.provider),
				part.map((p) => p.input.sourceTable),
				part.map((p) => p.input.sourceKey),
				part.map((p) => p.input.externalId),
				part.map((p) => p.input.externalType),
				part.map((p) => p.input.status),
			],
		};
	}

	/**
	 * Keys that differ in one column only (the usual case: one provider and one type, many ids) are one
	 * `= ANY(array)` condition on that column's index, the others plain equalities; other keys are the table
	 * joined to unnest(one array per key column).
	 */
	protected lookupStatement(columns: SyncColumn[], tuples: string[][], lock: boolean): { sql: string; params: SqlValue[] } {
		if (!this.castTypes) return super.lookupStatement(columns, tuples, lock);
		const select = SELECT_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ');
		const varying = columns.map((_, i) => tuples.some((t) => t[i] !== tuples[0][i]));
		if (varying.filter(Boolean).length <= 1) {
			const anyColumn = Math.max(0, varying.indexOf(true));
			const params: SqlValue[] = [this.packageName];
			const conditions = columns.map((c, i) => {
				params.push(i === anyColumn ? tuples.map((t) => t[i]) : tuples[0][i]);
				return `t.${quoteIdent(c)} = ${i === anyColumn ? `ANY($${params.length}::${this.castOf(c)}[])` : `$${params.length}::${this.castOf(c)}`}`;
			});
			const sql = `SELECT ${select} FROM ${this.qualifiedTable} AS t WHERE t."Package" = $1 AND ${conditions.join(' AND ')}${lock ? this.forUpdateClause : ''}`;
			return { sql, params };
		}
		const names = columns.map((_, i) => `c${i}`);
		const unnest = columns.map((c, i) => `$${i + 2}::${this.castOf(c)}[]`).join(', ');
		const on = columns.map((c, i) => `t.${quoteIdent(c)} = k.${names[i]}`).join(' AND ');
		const sql =
			`SELECT ${select} FROM unnest(${unnest}) AS k(${names.join(', ')}) ` +
			`JOIN ${this.qualifiedTable} AS t ON t."Package" = $1 AND ${on}${lock ? this.forUpdateClause : ''}`;
		return { sql, params: [this.packageName, ...columns.map((_, i) => tuples.map((t) => t[i]))] };
	}

	protected syncedAtCondition(op: '<' | '>=', placeholder: string): string {
		return `"SyncedAt" ${op} ${placeholder}`;
	}

	protected guidParam(guid: string): string | null {
		if (!this.guidIsUuid) return guid;
		return UUID.test(guid) ? guid.toLowerCase() : null;
	}

	protected guidKey(guid: string): string {
		return this.guidIsUuid ? guid.toLowerCase() : guid;
	}

	protected isRowError(error: unknown): boolean {
		const code = error instanceof SyncStoreError ? (error.dbCode ?? '') : (driverError(error).code ?? '');
		return ROW_ERROR_CLASSES.some((c) => code.startsWith(c));
	}

	protected toStoreError(error: unknown): SyncStoreError {
		return pgStoreError(error, this.config, this.tableName);
	}
}
