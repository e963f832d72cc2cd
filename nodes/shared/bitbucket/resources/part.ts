/**
 * What every resource part of the client shares: the request layer, page sizes, and the three ways of talking
 * to it (one object, a write, a collection). Each part knows its own paths, bodies and quirks.
 */
import type { RequestLayer, Query } from '../request';
import type { HttpMethod } from '../transport';

/** The largest `pagelen` each kind of collection accepts. */
export const PAGE_SIZE = {
	default: 100,
	pullRequests: 50,
	diffstat: 5000,
} as const;

export interface ListOptions {
	/** Stop after exactly this many items (undefined: all). */
	limit?: number;
	/** Fail instead of fetching more than this many pages. */
	maxPages?: number;
	/** Bitbucket partial-response selection (`values.id,values.title`); `next` is added when needed. */
	fields?: string;
}

/** One page for a UI that pages on demand (n8n's searchable lists): `next` continues where it stopped. */
export interface PageResult<T> {
	values: T[];
	next?: string;
}

export abstract class ResourcePart {
	constructor(protected readonly http: RequestLayer) {}

	protected async fetchOne<T>(path: string, query?: Query): Promise<T> {
		return (await this.http.request<T>({ path, query })).body;
	}

	protected async write<T = unknown>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
		return (await this.http.request<T>({ method, path, body })).body;
	}

	protected async collect<T>(
		path: string,
		maxPageSize: number,
		options: ListOptions,
		query: Query,
		key?: (item: T) => string | number,
	): Promise<T[]> {
		return await this.http.paginate<T>(path, {
			maxPageSize,
			limit: options.limit,
			maxPages: options.maxPages,
			query: { ...query, fields: options.fields },
			key,
		});
	}

	/** One page of a collection; `next` (the previous page's) continues it. */
	protected async onePage<T>(path: string, query: Query, next?: string): Promise<PageResult<T>> {
		return await this.http.page<T>(path, query, next);
	}
}
