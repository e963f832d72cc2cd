/**
 * Store configuration: what the Axion Database credential (or a script) says, and how defaults resolve
 * (SQLite file in the n8n user folder, package from AXION_PACKAGE).
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { DEFAULT_SCHEMA, DEFAULT_TABLE, MAX_SCHEMA_NAME, MAX_TABLE_NAME, validateIdentifier } from './schema';
import { SYNC_ENGINES, SyncStoreError, type SyncEngine } from './store';

export const DEFAULT_SQLITE_FILE = 'axion-sync.sqlite';
export const DEFAULT_PACKAGE = 'axion';
export const PACKAGE_ENV = 'AXION_PACKAGE';

export const PG_SSL_MODES = ['disable', 'allow', 'require', 'verify-full'] as const;
export type PgSslMode = (typeof PG_SSL_MODES)[number];

interface CommonConfig {
	/** Table name; default def_integration_sync. */
	table?: string;
	/** Axion package; empty: $AXION_PACKAGE, else `axion`. */
	packageName?: string;
	/** Create the table when missing; default true. */
	createTable?: boolean;
}

export interface SqliteStoreConfig extends CommonConfig {
	engine: 'sqlite';
	/** File path; relative paths (and the default) resolve in the n8n folder (`$N8N_USER_FOLDER/.n8n` or `~/.n8n`). */
	file?: string;
	/** How long a write waits for another process's write lock; default 30 s. */
	busyTimeoutMs?: number;
	/**
	 * The file is on storage every n8n process sees (queue mode: main and all workers). Without it, a store
	 * opened in queue mode (EXECUTIONS_MODE=queue) is refused: each worker would write its own file.
	 */
	sharedByAllWorkers?: boolean;
}

export interface PostgresStoreConfig extends CommonConfig {
	engine: 'postgres';
	host: string;
	port?: number;
	database: string;
	user: string;
	password?: string;
	ssl?: PgSslMode;
	/** PEM CA certificate(s) for `verify-full`; empty: the system's trusted CAs. */
	caCertificate?: string;
	/** Schema; default public. */
	schema?: string;
	/**
	 * With createTable: also create the schema when it does not exist; default false, so a mistyped schema name
	 * is reported instead of silently creating a new schema.
	 */
	createSchema?: boolean;
	/** Connections per pool; default 4. */
	poolSize?: number;
	/** Connect timeout; default 10 s. */
	connectTimeoutMs?: number;
}

export type SyncStoreConfig = SqliteStoreConfig | PostgresStoreConfig;

type Env = Record<string, string | undefined>;

/** n8n's folder: `$N8N_USER_FOLDER/.n8n`, else `~/.n8n` (where n8n keeps its own database). */
export function n8nFolder(env: Env = process.env): string {
	const base = env.N8N_USER_FOLDER && env.N8N_USER_FOLDER.trim() !== '' ? env.N8N_USER_FOLDER : homedir();
	return join(base, '.n8n');
}

/** Absolute SQLite path: empty → default file; `~/x` → home; relative → inside the n8n folder. */
export function resolveSqliteFile(file: string | undefined, env: Env = process.env): string {
	const value = (file ?? '').trim() || DEFAULT_SQLITE_FILE;
	if (value === ':memory:') return value;
	if (value === '~') return homedir();
	if (value.startsWith('~/')) return join(homedir(), value.slice(2));
	return isAbsolute(value) ? resolve(value) : resolve(n8nFolder(env), value);
}

/** The active package: the configured one, else $AXION_PACKAGE, else `axion`. */
export function resolvePackage(value: string | undefined, env: Env = process.env): string {
	const configured = (value ?? '').trim();
	if (configured) return configured;
	const fromEnv = (env[PACKAGE_ENV] ?? '').trim();
	return fromEnv || DEFAULT_PACKAGE;
}

export interface ResolvedSqliteConfig {
	engine: 'sqlite';
	file: string;
	table: string;
	packageName: string;
	createTable: boolean;
	busyTimeoutMs: number;
}

export interface ResolvedPostgresConfig {
	engine: 'postgres';
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl: PgSslMode;
	caCertificate: string;
	schema: string;
	table: string;
	packageName: string;
	createTable: boolean;
	createSchema: boolean;
	poolSize: number;
	connectTimeoutMs: number;
}

export type ResolvedStoreConfig = ResolvedSqliteConfig | ResolvedPostgresConfig;

/** Validates a configuration and fills its defaults. Errors name the credential field at fault. */
export function resolveStoreConfig(config: SyncStoreConfig, env: Env = process.env): ResolvedStoreConfig {
	const engine = (config as { engine?: unknown }).engine;
	if (typeof engine !== 'string' || !(SYNC_ENGINES as readonly string[]).includes(engine)) {
		throw new SyncStoreError('config', `Engine must be "sqlite" or "postgres" (got ${JSON.stringify(engine)})`, {
			field: 'Engine',
		});
	}
	const table = validateIdentifier((config.table ?? '').trim() || DEFAULT_TABLE, 'Table Name', MAX_TABLE_NAME);
	const packageName = resolvePackage(config.packageName, env);
	const createTable = config.createTable !== false;
	if ((engine as SyncEngine) === 'sqlite') {
		const c = config as SqliteStoreConfig;
		const file = resolveSqliteFile(c.file, env);
		if ((env.EXECUTIONS_MODE ?? '').trim() === 'queue' && c.sharedByAllWorkers !== true && file !== ':memory:') {
			throw new SyncStoreError(
				'config',
				`n8n runs in queue mode (EXECUTIONS_MODE=queue), where every worker would open its own SQLite file ${file}: ` +
					'a link written by one worker would be missing on the others, and the next sync would create the external object again. ' +
					'Use PostgreSQL (recommended), or, if that file is on storage all n8n processes share, turn on "File Shared by All Workers".',
				{ field: 'SQLite File' },
			);
		}
		return {
			engine: 'sqlite',
			file,
			table,
			packageName,
			createTable,
			busyTimeoutMs: positiveInt(c.busyTimeoutMs, 30_000, 'Busy Timeout'),
		};
	}
	const c = config as PostgresStoreConfig;
	const host = (c.host ?? '').trim();
	if (!host) throw new SyncStoreError('config', 'Host is empty', { field: 'Host' });
	const database = (c.database ?? '').trim();
	if (!database) throw new SyncStoreError('config', 'Database is empty', { field: 'Database' });
	const user = (c.user ?? '').trim();
	if (!user) throw new SyncStoreError('config', 'User is empty', { field: 'User' });
	const port = c.port === undefined || (c.port as unknown) === '' ? 5432 : Number(c.port);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new SyncStoreError('config', `Port must be a whole number from 1 to 65535 (got ${JSON.stringify(c.port)})`, {
			field: 'Port',
		});
	}
	const ssl = c.ssl ?? 'disable';
	if (!(PG_SSL_MODES as readonly string[]).includes(ssl)) {
		throw new SyncStoreError('config', `SSL must be one of ${PG_SSL_MODES.join(', ')} (got ${JSON.stringify(ssl)})`, {
			field: 'SSL',
		});
	}
	return {
		engine: 'postgres',
		host,
		port,
		database,
		user,
		password: c.password ?? '',
		ssl,
		caCertificate: (c.caCertificate ?? '').trim(),
		schema: validateIdentifier((c.schema ?? '').trim() || DEFAULT_SCHEMA, 'Schema', MAX_SCHEMA_NAME),
		table,
		packageName,
		createTable,
		createSchema: createTable && c.createSchema === true,
		poolSize: positiveInt(c.poolSize, 4, 'Pool Size'),
		connectTimeoutMs: positiveInt(c.connectTimeoutMs, 10_000, 'Connect Timeout'),
	};
}

function positiveInt(value: number | undefined, fallback: number, field: string): number {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || value < 1) {
		throw new SyncStoreError('config', `${field} must be a whole number of at least 1`, { field });
	}
	return value;
}

/** A stable digest of settings (never printed in clear; the password only enters hashed). */
export function settingsHash(parts: ReadonlyArray<string | number | boolean>): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** Key of a PostgreSQL pool: the connection settings (password included, hashed). */
export function poolKey(c: ResolvedPostgresConfig): string {
	return settingsHash(['pg', c.host, c.port, c.database, c.user, c.password, c.ssl, c.caCertificate, c.poolSize, c.connectTimeoutMs]);
}

/** Key of a store: its connection plus table, schema, package and creation setting. */
export function storeKey(c: ResolvedStoreConfig): string {
	return c.engine === 'sqlite'
		? settingsHash(['sqlite', c.file, c.table, c.packageName, c.createTable, c.busyTimeoutMs])
		: settingsHash([poolKey(c), c.schema, c.table, c.packageName, c.createTable, c.createSchema]);
}
