/**
 * The SQL both engines share: batched upserts, batched look-ups by key tuples, status updates, deletes and
 * listing, each inside one transaction. sqlite.ts and postgres.ts supply connections, transactions,
 * placeholders and the few dialect differences.
 */
import { randomUUID } from 'node:crypto';

import { LINK_KEY_COLUMNS, SELECT_COLUMNS, quoteIdent } from './schema';
import {
	FIELD_LABELS,
	SyncStoreError,
	chunk,
	isSyncStatus,
	linkKey,
	normalizeTimestamp,
	requireText,
	validateLinkInput,
	type EnsureResult,
	type ExternalRef,
	type LinkInput,
	type LinkOptions,
	type LinkOutcome,
	type LinkRef,
	type LinkResult,
	type ListFilter,
	type SourceRef,
	type StatusChange,
	type SyncColumn,
	type SyncEngine,
	type SyncLink,
	type SyncStatus,
	type SyncStore,
	type TableInfo,
	type WriteOptions,
} from './store';

/** A bound value; arrays only for PostgreSQL's array parameters. */
export type SqlValue = string | number | null | string[];
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
	query(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]>;
	/** Runs one statement once per parameter set (in-process engines: a tight loop without awaits). */
	queryEach?(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<SqlRow[][]>;
	/** Like queryEach, keeping only the first column of the first row of each answer (undefined: no row). */
	firstValueEach?(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<unknown[]>;
}

export type TransactionMode = 'read' | 'write';

/** Settings every SQL store has, resolved from the configuration. */
export interface SqlStoreSettings {
	packageName: string;
	/** Create the table when missing (otherwise a missing table is an error). */
	createTable: boolean;
}

/** Now, UTC, ISO 8601 with milliseconds. */
export function nowIso(): string {
	return new Date().toISOString();
}

/** Checks an ISO 8601 instant given by a caller and returns it normalised to UTC. */
export function requireInstant(value: string, field: string): string {
	const parsed = new Date(value);
	if (typeof value !== 'string' || value.trim() === '' || Number.isNaN(parsed.getTime())) {
		throw new SyncStoreError('validation', `${field} is not a valid date and time: ${JSON.stringify(value)}`, {
			field,
		});
	}
	return parsed.toISOString();
}

function rowToLink(row: SqlRow): SyncLink {
	const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
	return {
		Guid: text(row.Guid),
		Package: text(row.Package),
		Provider: text(row.Provider),
		SourceTable: text(row.SourceTable),
		SourceKey: text(row.SourceKey),
		ExternalId: text(row.ExternalId),
		ExternalType: text(row.ExternalType),
		SyncStatus: text(row.SyncStatus),
		SyncedAt: normalizeTimestamp(row.SyncedAt),
	};
}

/** Newest SyncedAt first, then Guid: the order of every multi-row answer. */
function compareLinks(a: SyncLink, b: SyncLink): number {
	const at = a.SyncedAt ?? '';
	const bt = b.SyncedAt ?? '';
	if (at !== bt) return at < bt ? 1 : -1;
	return a.Guid < b.Guid ? -1 : a.Guid > b.Guid ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Columns a reference constrains (besides Package), and its values for them. */
/** The column sets a reference can constrain (shared arrays: references are grouped by identity). */
const GUID_COLUMNS: SyncColumn[] = ['Guid'];
const SOURCE_TYPE_COLUMNS: SyncColumn[] = ['Provider', 'SourceTable', 'SourceKey', 'ExternalType'];
const SOURCE_COLUMNS: SyncColumn[] = ['Provider', 'SourceTable', 'SourceKey'];
const EXTERNAL_TABLE_COLUMNS: SyncColumn[] = ['Provider', 'ExternalType', 'ExternalId', 'SourceTable'];
const EXTERNAL_COLUMNS: SyncColumn[] = ['Provider', 'ExternalType', 'ExternalId'];

function refColumns(ref: LinkRef): { columns: SyncColumn[]; values: string[] } {
	switch (ref.by) {
		case 'guid':
			return { columns: GUID_COLUMNS, values: [ref.guid] };
		case 'source':
			return ref.externalType
				? { columns: SOURCE_TYPE_COLUMNS, values: [ref.provider, ref.sourceTable, ref.sourceKey, ref.externalType] }
				: { columns: SOURCE_COLUMNS, values: [ref.provider, ref.sourceTable, ref.sourceKey] };
		case 'external':
			return ref.sourceTable
				? { columns: EXTERNAL_TABLE_COLUMNS, values: [ref.provider, ref.externalType, ref.externalId, ref.sourceTable] }
				: { columns: EXTERNAL_COLUMNS, values: [ref.provider, ref.externalType, ref.externalId] };
	}
}

function validateRef(ref: LinkRef, index: number): void {
	switch (ref.by) {
		case 'guid':
			requireText(ref.guid, FIELD_LABELS.guid, index);
			return;
		case 'source':
			requireText(ref.provider, FIELD_LABELS.provider, index);
			requireText(ref.sourceTable, FIELD_LABELS.sourceTable, index);
			requireText(ref.sourceKey, FIELD_LABELS.sourceKey, index);
			if (ref.externalType !== undefined && ref.externalType !== '') {
				requireText(ref.externalType, FIELD_LABELS.externalType, index);
			}
			return;
		case 'external':
			requireText(ref.provider, FIELD_LABELS.provider, index);
			requireText(ref.externalType, FIELD_LABELS.externalType, index);
			requireText(ref.externalId, FIELD_LABELS.externalId, index);
			if (ref.sourceTable !== undefined && ref.sourceTable !== '') {
				requireText(ref.sourceTable, FIELD_LABELS.sourceTable, index);
			}
			return;
		default:
			throw new SyncStoreError('validation', `Unknown link reference ${JSON.stringify(ref)}`, { index });
	}
}

export interface PendingLink {
	input: LinkInput;
	key: string;
	guid: string;
	/** Input positions with this key, in order. */
	positions: number[];
}

export abstract class SqlSyncStore implements SyncStore {
	abstract readonly engine: SyncEngine;
	abstract readonly tableName: string;
	readonly packageName: string;
	protected readonly createTable: boolean;

	/** Rows per multi-row INSERT and per VALUES list of a look-up (capped by maxParams). */
	protected abstract readonly upsertChunkRows: number;
	protected abstract readonly lookupChunkRows: number;
	/** Most bound parameters one statement may have (SQLite 32766, PostgreSQL 65535). */
	protected abstract readonly maxParams: number;
	/** Quoted table name for SQL. */
	protected abstract readonly qualifiedTable: string;
	/** Expression returning whether the upsert inserted (PostgreSQL: xmax = 0), or null to compare Guids. */
	protected abstract readonly insertedExpression: string | null;
	/** Locking clause for rows about to be updated or deleted. */
	protected abstract readonly forUpdateClause: string;

	private readyPromise?: Promise<void>;
	private hasUniqueKey = true;

	constructor(settings: SqlStoreSettings) {
		this.packageName = settings.packageName;
		this.createTable = settings.createTable;
	}

	abstract inspect(): Promise<TableInfo>;
	abstract ensureTable(): Promise<EnsureResult>;
	abstract close(): Promise<void>;
	protected abstract transaction<T>(mode: TransactionMode, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	/** Placeholder of the n-th parameter (1-based). */
	protected abstract param(n: number): string;
	/** SQL comparing SyncedAt with a parameter. */
	protected abstract syncedAtCondition(op: '<' | '>=', placeholder: string): string;
	/** A Guid as the table can hold it, or null when it cannot match any row (e.g. not a uuid). */
	protected abstract guidParam(guid: string): string | null;
	/** Comparable form of a Guid (case-insensitive for uuid columns). */
	protected abstract guidKey(guid: string): string;
	/** Whether a database error concerns one row's values (so the row can be isolated). */
	protected abstract isRowError(error: unknown): boolean;
	/** Turns a driver error into a SyncStoreError without secrets. */
	protected abstract toStoreError(error: unknown): SyncStoreError;

	// ---------------------------------------------------------------------------------------------------
	// Table readiness

	/** Creates or checks the table once per store instance (retried after a failure). */
	protected ready(): Promise<void> {
		this.readyPromise ??= this.prepareTable().catch((error: unknown) => {
			this.readyPromise = undefined;
			throw error;
		});
		return this.readyPromise;
	}

	/** A transaction on a ready table; a table that went missing is looked at again on the next call. */
	private async work<T>(mode: TransactionMode, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
		await this.ready();
		try {
			return await this.transaction(mode, fn);
		} catch (error) {
			if (error instanceof SyncStoreError && error.code === 'schema') this.readyPromise = undefined;
			throw error;
		}
	}

	private async prepareTable(): Promise<void> {
		if (this.createTable) await this.ensureTable();
		const info = await this.inspect();
		if (!info.exists) {
			throw new SyncStoreError(
				'schema',
				`Table ${info.name} does not exist. Create it, or turn on "Create Table If Missing" in the credential.`,
				{ field: 'Table Name' },
			);
		}
		if (info.missingColumns.length > 0) {
			throw new SyncStoreError(
				'schema',
				`Table ${info.name} lacks the column(s) ${info.missingColumns.join(', ')} (column names are case-sensitive)`,
				{ field: 'Table Name' },
			);
		}
		this.hasUniqueKey = info.hasUniqueKey;
	}

	// ---------------------------------------------------------------------------------------------------
	// Writes

	async link(inputs: LinkInput[], options: WriteOptions = {}): Promise<LinkResult[]> {
		inputs.forEach((input, i) => validateLinkInput(input, i));
		const syncedAt = options.syncedAt ? requireInstant(options.syncedAt, 'Synced At') : nowIso();
		if (inputs.length === 0) return [];
		await this.ready();
		this.requireUniqueKey();
		const pending = this.dedupe(inputs);
		const stored = await this.work('write', (tx) => this.upsert(tx, pending, syncedAt));
		return this.spread(inputs, pending, stored);
	}

	async linkIsolated(inputs: LinkInput[], options: LinkOptions = {}): Promise<LinkOutcome[]> {
		try {
			const results = await this.link(inputs, options);
			return results.map((r) => ({ ok: true as const, ...r }));
		} catch (error) {
			if (!options.isolateRowErrors || !(error instanceof SyncStoreError) || error.code !== 'database') throw error;
			if (!this.isRowError(error)) throw error;
		}
		// The batch failed on a row: write row by row, each under a savepoint, in one transaction.
		const syncedAt = options.syncedAt ? requireInstant(options.syncedAt, 'Synced At') : nowIso();
		const pending = this.dedupe(inputs);
		const failures = new Map<string, SyncStoreError>();
		const stored = await this.work('write', async (tx) => {
			const done = new Map<string, LinkResult>();
			for (const [n, p] of pending.entries()) {
				const savepoint = `axion_row_${n}`;
				await tx.query(`SAVEPOINT ${savepoint}`, []);
				try {
					const one = await this.upsert(tx, [p], syncedAt);
					for (const [k, v] of one) done.set(k, v);
					await tx.query(`RELEASE SAVEPOINT ${savepoint}`, []);
				} catch (error) {
					if (!this.isRowError(error)) throw error;
					await tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`, []);
					await tx.query(`RELEASE SAVEPOINT ${savepoint}`, []);
					const storeError = error instanceof SyncStoreError ? error : this.toStoreError(error);
					failures.set(p.key, storeError);
				}
			}
			return done;
		});
		const outcomes: LinkOutcome[] = new Array<LinkOutcome>(inputs.length);
		const okPending = pending.filter((p) => !failures.has(p.key));
		const okResults = this.spread(inputs, okPending, stored);
		for (const p of pending) {
			const failure = failures.get(p.key);
			for (const pos of p.positions) {
				outcomes[pos] = failure
					? {
							ok: false,
							error: new SyncStoreError(failure.code, failure.message, { index: pos, dbCode: failure.dbCode }),
						}
					: { ok: true, ...okResults[pos] };
			}
		}
		return outcomes;
	}

	private requireUniqueKey(): void {
		if (!this.hasUniqueKey) {
			this.readyPromise = undefined; // looked at again next time (the index may be added meanwhile)
			throw new SyncStoreError(
				'schema',
				`Table ${this.tableName} has no unique index on (${LINK_KEY_COLUMNS.join(', ')}); upserts need it`,
				{ field: 'Table Name' },
			);
		}
	}

	/**
	 * One entry per link identity, last input wins, sorted by identity: every writer takes row locks in
	 * the same order, so concurrent batches wait for each other instead of deadlocking.
	 */
	private dedupe(inputs: LinkInput[]): PendingLink[] {
		const byKey = new Map<string, PendingLink>();
		inputs.forEach((input, position) => {
			const key = linkKey(input.provider, input.sourceTable, input.sourceKey, input.externalType);
			const existing = byKey.get(key);
			if (existing) {
				existing.input = input;
				existing.positions.push(position);
			} else {
				byKey.set(key, { input, key, guid: randomUUID(), positions: [position] });
			}
		});
		return [...byKey.values()].sort((a, b) => compareStrings(a.key, b.key));
	}

	/** Multi-row INSERT … ON CONFLICT DO UPDATE … RETURNING, in chunks. */
	private async upsert(tx: SqlExecutor, pending: PendingLink[], syncedAt: string): Promise<Map<string, LinkResult>> {
		const out = new Map<string, LinkResult>();
		const guidByKey = new Map(pending.map((p) => [p.key, p.guid]));
		const take = (key: string, row: SqlRow) => {
			const link = rowToLink(row);
			const proposed = guidByKey.get(key);
			const created = this.insertedExpression
				? row.inserted === true || row.inserted === 1
				: proposed !== undefined && this.guidKey(proposed) === this.guidKey(link.Guid);
			out.set(key, { link, created });
		};
		if (this.upsertChunkRows === 1 && tx.firstValueEach) {
			// One prepared single-row statement per link, returning only the stored Guid: the rest of the row is
			// what was just written (an in-process engine spends more on building rows than on the upsert).
			const sets = pending.map((p) => [this.packageName, syncedAt, p.guid, p.input.provider, p.input.sourceTable, p.input.sourceKey, p.input.externalId, p.input.externalType, p.input.status]);
			const guids = await tx.firstValueEach(this.upsertSql(1, '"Guid"'), sets);
			guids.forEach((guid, n) => {
				if (guid === undefined || guid === null) return;
				const { key, input } = pending[n];
				const link: SyncLink = {
					Guid: String(guid),
					Package: this.packageName,
					Provider: input.provider,
					SourceTable: input.sourceTable,
					SourceKey: input.sourceKey,
					ExternalId: input.externalId,
					ExternalType: input.externalType,
					SyncStatus: input.status,
					SyncedAt: syncedAt,
				};
				out.set(key, { link, created: String(guid) === pending[n].guid });
			});
		} else for (const part of chunk(pending, this.upsertRowsPerStatement())) {
			const statement = this.upsertStatement(part, syncedAt);
			const returned = await tx.query(statement.sql, statement.params);
			for (const row of returned) {
				// A single-row statement answers for its row; a multi-row one is matched by the link identity.
				take(part.length === 1 ? part[0].key : linkKey(String(row.Provider), String(row.SourceTable), String(row.SourceKey), String(row.ExternalType)), row);
			}
		}
		for (const p of pending) {
			if (!out.has(p.key)) {
				throw new SyncStoreError(
					'database',
					`The upsert returned no row for ${JSON.stringify(p.key.split('\u0000'))}: the table's column types change the values (e.g. a numeric SourceKey column)`,
					{ field: 'Table Name' },
				);
			}
		}
		return out;
	}

	/** Rows per upsert statement: 2 shared parameters + 7 per row must stay within maxParams. */
	protected upsertRowsPerStatement(): number {
		return Math.max(1, Math.min(this.upsertChunkRows, Math.floor((this.maxParams - 2) / 7)));
	}

	/** Key tuples per look-up statement: 1 shared parameter + one per key column and tuple. */
	protected lookupTuplesPerStatement(columns: number): number {
		return Math.max(1, Math.min(this.lookupChunkRows, Math.floor((this.maxParams - 1) / columns)));
	}

	/** Guids per IN list: up to 3 shared parameters + one per Guid. */
	private guidsPerStatement(): number {
		return Math.max(1, Math.min(this.lookupChunkRows, this.maxParams - 3));
	}

	/** The multi-row upsert of `part` (parameter 1 = Package, 2 = SyncedAt, then 7 per row). */
	protected upsertStatement(part: PendingLink[], syncedAt: string): { sql: string; params: SqlValue[] } {
		const params: SqlValue[] = [this.packageName, syncedAt];
		for (const p of part) {
			params.push(p.guid, p.input.provider, p.input.sourceTable, p.input.sourceKey, p.input.externalId, p.input.externalType, p.input.status);
		}
		return { sql: this.upsertSql(part.length), params };
	}

	/** Columns a returning clause lists, plus the engine's "inserted" expression. */
	protected returningClause(): string {
		return SELECT_COLUMNS + (this.insertedExpression ? `, ${this.insertedExpression}` : '');
	}

	/** ON CONFLICT … DO UPDATE: the link identity, and what an upsert overwrites. */
	protected conflictClause(): string {
		return (
			`ON CONFLICT (${LINK_KEY_COLUMNS.map(quoteIdent).join(', ')}) DO UPDATE SET "ExternalId" = excluded."ExternalId", ` +
			`"SyncStatus" = excluded."SyncStatus", "SyncedAt" = excluded."SyncedAt"`
		);
	}

	private readonly upsertSqlCache = new Map<string, string>();

	/** The multi-row upsert for `rows` rows (memoised: every full chunk reuses one statement text). */
	private upsertSql(rows: number, returning = this.returningClause()): string {
		const cacheKey = `${rows}|${returning}`;
		let sql = this.upsertSqlCache.get(cacheKey);
		if (sql) return sql;
		const values: string[] = [];
		for (let r = 0; r < rows; r++) {
			const ph = (n: number) => this.param(2 + r * 7 + n);
			values.push(`(${ph(1)}, ${this.param(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)}, ${ph(6)}, ${ph(7)}, ${this.param(2)})`);
		}
		sql = `INSERT INTO ${this.qualifiedTable} (${SELECT_COLUMNS}) VALUES ${values.join(', ')} ${this.conflictClause()} RETURNING ${returning}`;
		if (this.upsertSqlCache.size > 8) this.upsertSqlCache.clear();
		this.upsertSqlCache.set(cacheKey, sql);
		return sql;
	}

	/**
	 * Results in input order. The last input of a key carries the stored row; an earlier duplicate reports
	 * its own values with the stored Guid, and only the first occurrence can have created the row.
	 */
	private spread(inputs: LinkInput[], pending: PendingLink[], stored: Map<string, LinkResult>): LinkResult[] {
		const results: LinkResult[] = new Array<LinkResult>(inputs.length);
		for (const p of pending) {
			const result = stored.get(p.key);
			if (!result) continue;
			p.positions.forEach((pos, n) => {
				const own = inputs[pos];
				const isLast = n === p.positions.length - 1;
				results[pos] = {
					link: isLast ? result.link : { ...result.link, ExternalId: own.externalId, SyncStatus: own.status },
					created: n === 0 ? result.created : false,
				};
			});
		}
		return results;
	}

	async setStatus(changes: StatusChange[], options: { syncedAt?: string | null } = {}): Promise<SyncLink[][]> {
		changes.forEach((c, i) => {
			validateRef(c.ref, i);
			if (!isSyncStatus(c.status)) {
				throw new SyncStoreError('validation', `${FIELD_LABELS.status} must be one of synced, error, deleted (got ${JSON.stringify(c.status)})`, {
					field: FIELD_LABELS.status,
					index: i,
				});
			}
		});
		const syncedAt =
			options.syncedAt === null ? null : options.syncedAt ? requireInstant(options.syncedAt, 'Synced At') : nowIso();
		if (changes.length === 0) return [];
		return await this.work('write', async (tx) => {
			const matched = await this.resolve(tx, changes.map((c) => c.ref), true);
			// Last change wins for a row matched twice.
			const target = new Map<string, { guid: string; status: SyncStatus }>();
			matched.forEach((rows, i) => rows.forEach((r) => target.set(this.guidKey(r.Guid), { guid: r.Guid, status: changes[i].status })));
			const updated = new Map<string, SyncLink>();
			for (const status of new Set([...target.values()].map((t) => t.status))) {
				const guids = [...target.values()].filter((t) => t.status === status).map((t) => t.guid).sort(compareStrings);
				const fixed: SqlValue[] = syncedAt === null ? [this.packageName, status] : [this.packageName, status, syncedAt];
				for (const part of chunk(guids, this.guidsPerStatement())) {
					const params: SqlValue[] = [...fixed, ...part];
					const list = part.map((_, n) => this.param(fixed.length + n + 1)).join(', ');
					const set = syncedAt === null ? `"SyncStatus" = ${this.param(2)}` : `"SyncStatus" = ${this.param(2)}, "SyncedAt" = ${this.param(3)}`;
					const rows = await tx.query(
						`UPDATE ${this.qualifiedTable} SET ${set} WHERE "Package" = ${this.param(1)} AND "Guid" IN (${list}) RETURNING ${SELECT_COLUMNS}`,
						params,
					);
					for (const row of rows) {
						const link = rowToLink(row);
						updated.set(this.guidKey(link.Guid), link);
					}
				}
			}
			return matched.map((rows) => rows.map((r) => updated.get(this.guidKey(r.Guid)) ?? r));
		});
	}

	async unlink(refs: LinkRef[]): Promise<SyncLink[][]> {
		refs.forEach((r, i) => validateRef(r, i));
		if (refs.length === 0) return [];
		return await this.work('write', async (tx) => {
			const matched = await this.resolve(tx, refs, true);
			const guids = [...new Map(matched.flat().map((r) => [this.guidKey(r.Guid), r.Guid])).values()].sort(compareStrings);
			const deleted = new Set<string>();
			for (const part of chunk(guids, this.guidsPerStatement())) {
				const list = part.map((_, n) => this.param(n + 2)).join(', ');
				const rows = await tx.query(
					`DELETE FROM ${this.qualifiedTable} WHERE "Package" = ${this.param(1)} AND "Guid" IN (${list}) RETURNING "Guid"`,
					[this.packageName, ...part],
				);
				for (const row of rows) deleted.add(this.guidKey(String(row.Guid)));
			}
			// A row matched by two references is reported for each of them.
			return matched.map((rows) => rows.filter((r) => deleted.has(this.guidKey(r.Guid))));
		});
	}

	// ---------------------------------------------------------------------------------------------------
	// Reads

	async findBySource(refs: SourceRef[]): Promise<SyncLink[][]> {
		return await this.find(refs.map((r) => ({ by: 'source' as const, ...r })));
	}

	async findByExternal(refs: ExternalRef[]): Promise<SyncLink[][]> {
		return await this.find(refs.map((r) => ({ by: 'external' as const, ...r })));
	}

	async find(refs: LinkRef[]): Promise<SyncLink[][]> {
		refs.forEach((r, i) => validateRef(r, i));
		if (refs.length === 0) return [];
		return await this.work('read', (tx) => this.resolve(tx, refs, false));
	}

	async list(filter: ListFilter = {}): Promise<SyncLink[]> {
		const params: SqlValue[] = [this.packageName];
		const where = [`"Package" = ${this.param(1)}`];
		const add = (column: SyncColumn, value: string | undefined) => {
			if (value === undefined || value === '') return;
			params.push(value);
			where.push(`${quoteIdent(column)} = ${this.param(params.length)}`);
		};
		add('Provider', filter.provider);
		add('ExternalType', filter.externalType);
		add('SourceTable', filter.sourceTable);
		if (filter.status !== undefined) {
			if (!isSyncStatus(filter.status)) {
				throw new SyncStoreError('validation', `${FIELD_LABELS.status} must be one of synced, error, deleted`, { field: FIELD_LABELS.status });
			}
			add('SyncStatus', filter.status);
		}
		if (filter.syncedBefore) {
			params.push(requireInstant(filter.syncedBefore, 'Synced Before'));
			where.push(this.syncedAtCondition('<', this.param(params.length)));
		}
		if (filter.syncedAfter) {
			params.push(requireInstant(filter.syncedAfter, 'Synced After'));
			where.push(this.syncedAtCondition('>=', this.param(params.length)));
		}
		let limit = '';
		if (filter.limit !== undefined) {
			if (!Number.isInteger(filter.limit) || filter.limit < 1) {
				throw new SyncStoreError('validation', `Limit must be a whole number of at least 1 (got ${filter.limit})`, { field: 'Limit' });
			}
			params.push(filter.limit);
			limit = ` LIMIT ${this.param(params.length)}`;
		}
		const sql = `SELECT ${SELECT_COLUMNS} FROM ${this.qualifiedTable} WHERE ${where.join(' AND ')} ORDER BY "SyncedAt" DESC, "Guid" ASC${limit}`;
		const rows = await this.work('read', (tx) => tx.query(sql, params));
		return rows.map(rowToLink);
	}

	/**
	 * Rows matched by each reference: references are grouped by the columns they constrain, and each group
	 * is one query per chunk joining a VALUES list of the distinct key tuples to the table.
	 */
	private async resolve(tx: SqlExecutor, refs: LinkRef[], lock: boolean): Promise<SyncLink[][]> {
		const result = new Array<SyncLink[] | undefined>(refs.length);
		const groups = new Map<SyncColumn[], Array<{ index: number; tuple: string[] }>>();
		refs.forEach((ref, index) => {
			const { columns, values } = refColumns(ref);
			const group = groups.get(columns);
			if (group) group.push({ index, tuple: values });
			else groups.set(columns, [{ index, tuple: values }]);
		});
		const several = new Set<SyncLink[]>();
		for (const [columns, members] of groups) {
			const isGuid = columns === GUID_COLUMNS;
			// Keys are told apart by the columns whose values differ (usually one: the ids); the others are equal
			// in every reference and in every row the query returns, so they need not be part of the key.
			const first = members[0].tuple;
			const keyColumns = columns.map((_, c) => c).filter((c) => members.some((m) => m.tuple[c] !== first[c]));
			const keyOf = (values: ArrayLike<string>) => {
				if (isGuid) return this.guidKey(values[0]);
				if (keyColumns.length === 1) return values[keyColumns[0]];
				let key = '';
				for (const c of keyColumns) key += `${values[c]}\u0000`;
				return key;
			};
			// Each distinct key once, with the references that asked for it.
			const wanted = new Map<string, number[]>();
			const tuples: Array<{ key: string; tuple: string[] }> = [];
			for (const m of members) {
				const guid = isGuid ? this.guidParam(m.tuple[0]) : undefined;
				if (guid === null) continue;
				const tuple = guid === undefined ? m.tuple : [guid];
				const key = keyOf(tuple);
				const asking = wanted.get(key);
				if (asking) asking.push(m.index);
				else {
					wanted.set(key, [m.index]);
					tuples.push({ key, tuple });
				}
			}
			// Writers lock rows in one order (no deadlocks between concurrent batches); readers need no order.
			if (lock) tuples.sort((a, b) => compareStrings(a.key, b.key));
			const perStatement = isGuid ? this.guidsPerStatement() : this.lookupTuplesPerStatement(columns.length);
			const answers = async (): Promise<SqlRow[][]> => {
				// An in-process engine probes the index once per key, in one tight loop; a server gets chunks of keys.
				if (!isGuid && perStatement === 1 && tx.queryEach) {
					return await tx.queryEach(this.probeSql(columns, lock), tuples.map((t) => [this.packageName, ...t.tuple]));
				}
				const out: SqlRow[][] = [];
				for (const part of chunk(tuples, perStatement)) {
					const values = part.map((t) => t.tuple);
					out.push(isGuid ? await this.selectByGuids(tx, values.map((t) => t[0]), lock) : await this.selectByTuples(tx, columns, values, lock));
				}
				return out;
			};
			for (const rows of await answers()) {
				for (const row of rows) {
					const link = rowToLink(row);
					const asking = wanted.get(keyOf(columns.map((c) => link[c] ?? '')));
					for (const index of asking ?? []) {
						const list = result[index];
						if (list === undefined) result[index] = [link];
						else {
							list.push(link);
							several.add(list);
						}
					}
				}
			}
		}
		for (const list of several) list.sort(compareLinks);
		return Array.from(result, (list) => list ?? []);
	}

	private readonly lookupSqlCache = new Map<string, string>();

	private async selectByTuples(tx: SqlExecutor, columns: SyncColumn[], tuples: string[][], lock: boolean): Promise<SqlRow[]> {
		const statement = this.lookupStatement(columns, tuples, lock);
		return await tx.query(statement.sql, statement.params);
	}

	/** SELECT of the rows matching key tuples: the table joined to a VALUES list of the tuples. */
	protected lookupStatement(columns: SyncColumn[], tuples: string[][], lock: boolean): { sql: string; params: SqlValue[] } {
		const params: SqlValue[] = [this.packageName];
		for (const tuple of tuples) params.push(...tuple);
		const cacheKey = `${columns.join(',')}|${tuples.length}|${lock}`;
		let sql = this.lookupSqlCache.get(cacheKey);
		if (!sql) {
			const names = columns.map((_, i) => `c${i}`);
			const values: string[] = [];
			for (let r = 0; r < tuples.length; r++) {
				values.push(`(${columns.map((_, i) => this.param(2 + r * columns.length + i)).join(', ')})`);
			}
			const on = columns.map((c, i) => `t.${quoteIdent(c)} = k.${names[i]}`).join(' AND ');
			const select = SELECT_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ');
			// CROSS JOIN keeps the key list as the outer loop in SQLite, so every key is an index probe.
			sql =
				`WITH k(${names.join(', ')}) AS (VALUES ${values.join(', ')}) ` +
				`SELECT ${select} FROM k CROSS JOIN ${this.qualifiedTable} AS t ` +
				`WHERE t."Package" = ${this.param(1)} AND ${on}${lock ? this.forUpdateClause : ''}`;
			if (this.lookupSqlCache.size > 32) this.lookupSqlCache.clear();
			this.lookupSqlCache.set(cacheKey, sql);
		}
		return { sql, params };
	}

	/** SELECT of the rows matching one key tuple (parameter 1 = Package, then one per column). */
	private probeSql(columns: SyncColumn[], lock: boolean): string {
		const cacheKey = `probe|${columns.join(',')}|${lock}`;
		let sql = this.lookupSqlCache.get(cacheKey);
		if (!sql) {
			const where = columns.map((c, i) => `${quoteIdent(c)} = ${this.param(i + 2)}`).join(' AND ');
			sql = `SELECT ${SELECT_COLUMNS} FROM ${this.qualifiedTable} WHERE "Package" = ${this.param(1)} AND ${where}${lock ? this.forUpdateClause : ''}`;
			if (this.lookupSqlCache.size > 32) this.lookupSqlCache.clear();
			this.lookupSqlCache.set(cacheKey, sql);
		}
		return sql;
	}

	private async selectByGuids(tx: SqlExecutor, guids: string[], lock: boolean): Promise<SqlRow[]> {
		const list = guids.map((_, n) => this.param(n + 2)).join(', ');
		const sql = `SELECT ${SELECT_COLUMNS} FROM ${this.qualifiedTable} AS t WHERE t."Package" = ${this.param(1)} AND t."Guid" IN (${list})${lock ? this.forUpdateClause : ''}`;
		return await tx.query(sql, [this.packageName, ...guids]);
	}
}
