/**
 * The def_integration_sync store: which Axion record maps to which external object.
 *
 * This module is the contract shared by the SQLite and PostgreSQL implementations, the n8n node and any
 * script or CLI. It imports nothing from n8n.
 */

/** Engines the store runs on. */
export const SYNC_ENGINES = ['sqlite', 'postgres'] as const;
export type SyncEngine = (typeof SYNC_ENGINES)[number];

/** Values of the SyncStatus column. */
export const SYNC_STATUSES = ['synced', 'error', 'deleted'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export function isSyncStatus(value: unknown): value is SyncStatus {
	return typeof value === 'string' && (SYNC_STATUSES as readonly string[]).includes(value);
}

/** Default provider when none is given. */
export const DEFAULT_PROVIDER = 'bitbucket';

/** One row of def_integration_sync, exactly as the table names its columns. */
export interface SyncLink {
	Guid: string;
	Package: string;
	Provider: string;
	SourceTable: string;
	SourceKey: string;
	ExternalId: string;
	ExternalType: string;
	SyncStatus: string;
	/** ISO 8601, UTC (`2025-01-31T12:00:00.000Z`); null only if an existing table holds no value. */
	SyncedAt: string | null;
}

/** The columns, in table order. */
export const SYNC_COLUMNS = [
	'Guid',
	'Package',
	'Provider',
	'SourceTable',
	'SourceKey',
	'ExternalId',
	'ExternalType',
	'SyncStatus',
	'SyncedAt',
] as const satisfies ReadonlyArray<keyof SyncLink>;
export type SyncColumn = (typeof SYNC_COLUMNS)[number];

/** A link to write (upsert). The link's identity is (Package, Provider, SourceTable, SourceKey, ExternalType). */
export interface LinkInput {
	provider: string;
	sourceTable: string;
	sourceKey: string;
	externalId: string;
	externalType: string;
	status: SyncStatus;
}

/** Result of one upsert: the stored row, and whether this write created it. */
export interface LinkResult {
	link: SyncLink;
	created: boolean;
}

/** Per-input outcome when row errors are isolated (continue on fail). */
export type LinkOutcome = ({ ok: true } & LinkResult) | { ok: false; error: SyncStoreError };

/** A local record, optionally narrowed to one external type. */
export interface SourceRef {
	provider: string;
	sourceTable: string;
	sourceKey: string;
	/** Empty or undefined: any external type. */
	externalType?: string;
}

/** An external object, optionally narrowed to one source table. */
export interface ExternalRef {
	provider: string;
	externalType: string;
	externalId: string;
	/** Empty or undefined: any source table. */
	sourceTable?: string;
}

/** Identifies existing links, for Set Status and Unlink. */
export type LinkRef =
	| { by: 'guid'; guid: string }
	| ({ by: 'source' } & SourceRef)
	| ({ by: 'external' } & ExternalRef);

export interface StatusChange {
	ref: LinkRef;
	status: SyncStatus;
}

export interface ListFilter {
	provider?: string;
	externalType?: string;
	status?: SyncStatus;
	sourceTable?: string;
	/** ISO 8601 instant: only links synced strictly before it. */
	syncedBefore?: string;
	/** ISO 8601 instant: only links synced at or after it. */
	syncedAfter?: string;
	/** Maximum rows; undefined returns all. */
	limit?: number;
}

/** What the store found when it looked at its table. */
export interface TableInfo {
	/** Display name, e.g. `public.def_integration_sync` or `/path/file.sqlite: def_integration_sync`. */
	name: string;
	exists: boolean;
	/** Columns of SYNC_COLUMNS missing from an existing table. */
	missingColumns: string[];
	/** Whether a unique index matches the link identity (needed by the upsert). */
	hasUniqueKey: boolean;
	/** Server description, e.g. `PostgreSQL 15.13` or `SQLite 3.50.4`. */
	server: string;
}

export interface EnsureResult {
	/** True when this call created the table. */
	created: boolean;
}

export interface WriteOptions {
	/** SyncedAt to store; default now (UTC). ISO 8601. */
	syncedAt?: string;
}

export interface LinkOptions extends WriteOptions {
	/**
	 * When the batch fails on a row the database rejects (a value too long for an existing column, a
	 * constraint), retry row by row in one transaction with a savepoint per row, so good rows are
	 * written and bad ones are reported. Used for n8n's Continue On Fail.
	 */
	isolateRowErrors?: boolean;
}

/**
 * The store. Every method is one transaction with batched statements; results come back in input order.
 */
export interface SyncStore {
	readonly engine: SyncEngine;
	/** The Axion package written into (and filtering) every row. */
	readonly packageName: string;
	/** Display name of the table. */
	readonly tableName: string;

	/** Looks at the table without changing anything. */
	inspect(): Promise<TableInfo>;
	/** Creates the table and its indexes when missing (idempotent, safe with concurrent creators). */
	ensureTable(): Promise<EnsureResult>;

	/** Upserts links; duplicates within the batch: last wins, earlier ones report what they did. */
	link(inputs: LinkInput[], options?: WriteOptions): Promise<LinkResult[]>;
	linkIsolated(inputs: LinkInput[], options?: LinkOptions): Promise<LinkOutcome[]>;
	/** Links of each local record (several when no external type is given). */
	findBySource(refs: SourceRef[]): Promise<SyncLink[][]>;
	/** Links of each external object (several local records may point at one). */
	findByExternal(refs: ExternalRef[]): Promise<SyncLink[][]>;
	/** Links matched by each reference. */
	find(refs: LinkRef[]): Promise<SyncLink[][]>;
	/** Sets SyncStatus (and SyncedAt, unless `syncedAt` is null) of the matched links; returns them updated. */
	setStatus(changes: StatusChange[], options?: { syncedAt?: string | null }): Promise<SyncLink[][]>;
	/** Deletes the matched links; returns them as they were. */
	unlink(refs: LinkRef[]): Promise<SyncLink[][]>;
	/** Links of the package, newest SyncedAt first. */
	list(filter?: ListFilter): Promise<SyncLink[]>;

	/** Releases the connection (a cached store is closed by closeAllSyncStores). */
	close(): Promise<void>;
}

export type SyncErrorCode =
	| 'validation'
	| 'config'
	| 'connection'
	| 'authentication'
	| 'schema'
	| 'busy'
	| 'database';

/**
 * Every error the store throws. `field` names the input or setting at fault (as the user sees it, e.g.
 * `Source Key`, `Host`); `index` is the position of the input in the batch when one input is at fault.
 * Messages never contain the database password.
 */
export class SyncStoreError extends Error {
	readonly code: SyncErrorCode;
	readonly field?: string;
	readonly index?: number;
	/** Database error code (SQLSTATE or SQLite code), when there is one. */
	readonly dbCode?: string;

	constructor(
		code: SyncErrorCode,
		message: string,
		details: { field?: string; index?: number; dbCode?: string } = {},
	) {
		super(message);
		this.name = 'SyncStoreError';
		this.code = code;
		this.field = details.field;
		this.index = details.index;
		this.dbCode = details.dbCode;
	}
}

/** The package's one redaction policy (every form of a secret: plain, percent-encoded, base64). */
export { redactText as redact } from '../redact';

/** Message of any thrown value. */
export function errorMessage(error: unknown): string {
	if (typeof error === 'string') return error;
	// Duck-typed: errors from another realm (Node core inside a sandbox) are not `instanceof Error`.
	if (typeof error === 'object' && error !== null) {
		const e = error as { message?: unknown; errors?: unknown; code?: unknown; name?: unknown };
		if (typeof e.message === 'string' && e.message) return e.message;
		// Node's AggregateError (a refused connection tried on several addresses) has no message.
		if (Array.isArray(e.errors) && e.errors.length > 0) return [...new Set(e.errors.map(errorMessage))].join('; ');
		if (typeof e.code === 'string') return e.code;
		if (typeof e.name === 'string') return e.name;
	}
	try {
		return JSON.stringify(error);
	} catch {
		return String(error);
	}
}

/** Field labels used in validation messages (the n8n parameter display names). */
export const FIELD_LABELS = {
	provider: 'Provider',
	sourceTable: 'Source Table',
	sourceKey: 'Source Key',
	externalId: 'External ID',
	externalType: 'External Type',
	status: 'Status',
	guid: 'Guid',
} as const;

/** Checks one link input; returns the trimmed-free (values are stored literally) copy or throws. */
export function validateLinkInput(input: LinkInput, index?: number): LinkInput {
	requireText(input.provider, FIELD_LABELS.provider, index);
	requireText(input.sourceTable, FIELD_LABELS.sourceTable, index);
	requireText(input.sourceKey, FIELD_LABELS.sourceKey, index);
	requireText(input.externalId, FIELD_LABELS.externalId, index);
	requireText(input.externalType, FIELD_LABELS.externalType, index);
	if (!isSyncStatus(input.status)) {
		throw new SyncStoreError(
			'validation',
			`${FIELD_LABELS.status} must be one of ${SYNC_STATUSES.join(', ')} (got ${JSON.stringify(input.status)})`,
			{ field: FIELD_LABELS.status, index },
		);
	}
	return input;
}

export function requireText(value: unknown, field: string, index?: number): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new SyncStoreError('validation', `${field} is empty`, { field, index });
	}
	if (value.includes('\u0000')) {
		throw new SyncStoreError('validation', `${field} contains a NUL character`, { field, index });
	}
	return value;
}

/** Identity of a link as a string key (for dedupe and mapping rows back to inputs). */
export function linkKey(provider: string, sourceTable: string, sourceKey: string, externalType: string): string {
	// Values never contain NUL (validation refuses it), so NUL separates them unambiguously.
	return `${provider}\u0000${sourceTable}\u0000${sourceKey}\u0000${externalType}`;
}

/**
 * Normalises a stored timestamp to ISO 8601 UTC. Accepts what the engines hand back: ISO strings with `Z`
 * or an offset, `YYYY-MM-DD HH:MM:SS[.fff]` without zone (read as UTC, as the table stores UTC), Dates.
 */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** PostgreSQL's text form of timestamp(3) without time zone, stored as UTC: `2026-12-01 10:00:00.12`. */
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?$/;

/** The last value converted: the rows of one batch share one SyncedAt, so most calls are this one. */
let lastTimestamp: { value: string; iso: string | null } | undefined;

export function normalizeTimestamp(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') {
		if (CANONICAL_INSTANT.test(value)) return value;
		if (lastTimestamp?.value === value) return lastTimestamp.iso;
		const pg = PG_TIMESTAMP.exec(value);
		const iso = pg ? `${pg[1]}T${pg[2]}.${(pg[3] ?? '').padEnd(3, '0')}Z` : parseTimestamp(value);
		lastTimestamp = { value, iso };
		return iso;
	}
	return parseTimestamp(value);
}

function parseTimestamp(value: unknown): string | null {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
	const text = String(value).trim();
	const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i.exec(
		text,
	);
	if (!m) return text;
	const [, date, hh = '00', mm = '00', ss = '00', frac = '', zone] = m;
	const ms = frac ? frac.slice(1, 4).padEnd(3, '0') : '000';
	let offset = 'Z';
	if (zone && zone.toUpperCase() !== 'Z') {
		const digits = zone.slice(1).replace(/:/g, '');
		offset = `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2, 4) || '00').padEnd(2, '0')}`;
	}
	const parsed = new Date(`${date}T${hh}:${mm}:${ss}.${ms}${offset}`);
	return Number.isNaN(parsed.getTime()) ? text : parsed.toISOString();
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
