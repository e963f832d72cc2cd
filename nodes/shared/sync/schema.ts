/**
 * The def_integration_sync table: identifiers, DDL for SQLite and PostgreSQL, the column list.
 * Table and schema names are never parameters in SQL, so they are validated here and always quoted.
 */
import { SYNC_COLUMNS, SyncStoreError, type SyncEngine } from './store';

export const DEFAULT_TABLE = 'def_integration_sync';
export const DEFAULT_SCHEMA = 'public';

/** Identifier rule: letters, digits, underscores, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Table names leave room for the index names derived from them within PostgreSQL's 63 bytes. */
export const MAX_TABLE_NAME = 48;
export const MAX_SCHEMA_NAME = 63;

export function validateIdentifier(value: unknown, field: string, maxLength: number): string {
	if (typeof value !== 'string' || value === '') {
		throw new SyncStoreError('config', `${field} is empty`, { field });
	}
	if (!IDENTIFIER.test(value) || value.length > maxLength) {
		throw new SyncStoreError(
			'config',
			`${field} ${JSON.stringify(value)} is not a valid identifier: use letters, digits and underscores, ` +
				`starting with a letter or underscore, at most ${maxLength} characters`,
			{ field },
		);
	}
	return value;
}

/** Quotes an identifier that validateIdentifier accepted (or a fixed column name). */
export function quoteIdent(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

/** Columns of the unique link identity, in index order. */
export const LINK_KEY_COLUMNS = ['Package', 'Provider', 'SourceTable', 'SourceKey', 'ExternalType'] as const;
/** Columns of the reverse look-up index. */
export const EXTERNAL_KEY_COLUMNS = ['Package', 'Provider', 'ExternalType', 'ExternalId'] as const;

export const SELECT_COLUMNS = SYNC_COLUMNS.map(quoteIdent).join(', ');

export function indexNames(table: string): { unique: string; external: string } {
	return { unique: `${table}_link_uq`, external: `${table}_external_ix` };
}

/**
 * DDL creating the table and its two indexes; each statement is idempotent (IF NOT EXISTS).
 * `qualified` is the quoted (schema-qualified) table name.
 */
export function createTableStatements(
	engine: SyncEngine,
	table: string,
	qualified: string,
	options: { pgUuidDefault?: boolean } = {},
): string[] {
	const names = indexNames(table);
	const statusCheck = `CHECK ("SyncStatus" IN ('synced', 'error', 'deleted'))`;
	const columns =
		engine === 'postgres'
			? [
					`"Guid" uuid NOT NULL PRIMARY KEY${options.pgUuidDefault ? ' DEFAULT gen_random_uuid()' : ''}`,
					`"Package" text NOT NULL`,
					`"Provider" text NOT NULL`,
					`"SourceTable" text NOT NULL`,
					`"SourceKey" text NOT NULL`,
					`"ExternalId" text NOT NULL`,
					`"ExternalType" text NOT NULL`,
					`"SyncStatus" text NOT NULL DEFAULT 'synced' ${statusCheck}`,
					`"SyncedAt" timestamp(3) without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')`,
				]
			: [
					`"Guid" TEXT NOT NULL PRIMARY KEY`,
					`"Package" TEXT NOT NULL`,
					`"Provider" TEXT NOT NULL`,
					`"SourceTable" TEXT NOT NULL`,
					`"SourceKey" TEXT NOT NULL`,
					`"ExternalId" TEXT NOT NULL`,
					`"ExternalType" TEXT NOT NULL`,
					`"SyncStatus" TEXT NOT NULL DEFAULT 'synced' ${statusCheck}`,
					`"SyncedAt" TEXT NOT NULL`,
				];
	return [
		`CREATE TABLE IF NOT EXISTS ${qualified} (\n\t${columns.join(',\n\t')}\n)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(names.unique)} ON ${qualified} (${LINK_KEY_COLUMNS.map(quoteIdent).join(', ')})`,
		`CREATE INDEX IF NOT EXISTS ${quoteIdent(names.external)} ON ${qualified} (${EXTERNAL_KEY_COLUMNS.map(quoteIdent).join(', ')})`,
	];
}

/** True when `indexColumns` (of a unique index) is exactly the link identity, in any order. */
export function isLinkKeyIndex(indexColumns: readonly string[]): boolean {
	return (
		indexColumns.length === LINK_KEY_COLUMNS.length &&
		LINK_KEY_COLUMNS.every((c) => indexColumns.includes(c))
	);
}
