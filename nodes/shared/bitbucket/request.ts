/**
 * The request layer: the only place that talks to the transport. It owns
 *  - URLs: base URL + encoded path + query; no dot segments; `next`, redirect and `Location` links followed only
 *    on the base URL's origin (relative ones resolved against the page they came from);
 *  - retries: asks the pure policy in retry.ts after every attempt (429 for any method, 5xx and lost answers for
 *    idempotent methods only) and waits what it says;
 *  - redirects: same-origin redirects of GET are followed, any other origin is refused;
 *  - pagination: one async page iterator (`pages`); collect-all with limit and de-duplication, and the UI's
 *    one-page lookup, are thin consumers of it;
 *  - errors: Bitbucket's error body (or a text/HTML body) → BitbucketApiError, every secret redacted.
 */
import { Redactor } from '../redact';
import { normalizeBaseUrl } from './auth';
import {
	BitbucketApiError,
	BitbucketInputError,
	BitbucketLinkError,
	BitbucketNetworkError,
	BitbucketPaginationError,
	parseErrorBody,
	statusText,
} from './errors';
import { isDotSegment, tryUrl } from './paths';
import { decideRetry, resolveRetryOptions, type AttemptOutcome, type RetryOptions, type RetryReason } from './retry';
import { TransportNetworkError, type HttpMethod, type Transport, type TransportResponse } from './transport';

export { formatMs } from './retry';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;
export type Query = Record<string, QueryValue>;

export interface RetryEvent {
	reason: RetryReason;
	method: string;
	url: string;
	/** 1 for the first retry. */
	retry: number;
	waitMs: number;
	/** Whether the wait came from a Retry-After header. */
	retryAfter: boolean;
	status?: number;
}

export interface RequestLayerOptions {
	baseUrl?: string;
	transport: Transport;
	retry?: Partial<RetryOptions>;
	/** Strings that must never appear in errors (tokens, passwords): every form of them is redacted. */
	secrets?: readonly string[];
	/** Called before each wait; for logging. */
	onRetry?: (event: RetryEvent) => void;
	/**
	 * How to wait (retries, merge polling). The core has no timers of its own: n8n passes its `sleep`, scripts a
	 * setTimeout one, tests a fake clock's.
	 */
	sleep: (ms: number) => Promise<void>;
	random?: () => number;
	now?: () => number;
}

export interface RequestOptions {
	method?: HttpMethod;
	/** Path under the base URL, already encoded (see paths.ts). */
	path?: string;
	/** A link Bitbucket gave (a `next` or `Location`): must stay on the base URL's origin. */
	url?: string;
	/** The URL a relative `url` is resolved against (the page it came from); default the base URL. */
	relativeTo?: string;
	query?: Query;
	body?: unknown;
	headers?: Record<string, string>;
	/** Read the response as text. */
	text?: boolean;
}

export interface ApiResponse<T> {
	status: number;
	headers: TransportResponse['headers'];
	body: T;
	/** The URL that answered (after any redirect). */
	url: string;
}

export interface PageOptions<T> {
	query?: Query;
	/** The largest `pagelen` this endpoint accepts (50 for pull-request lists, 100 for most). */
	maxPageSize: number;
	/** Stop after exactly this many items; undefined → all. */
	limit?: number;
	/** Refuse to fetch more than this many pages: fails with a clear error instead of silently truncating. */
	maxPages?: number;
	/** Drops items already seen (data can shift between pages while walking). */
	key?: (item: T) => string | number;
}

/** One page of a collection, as the iterator yields it. */
export interface Page<T> {
	values: T[];
	/** The URL of this page. */
	url: string;
	/** The next page's URL (absolute, checked), if any. */
	next?: string;
	/** 1 for the first page. */
	number: number;
	/** Bitbucket's total count, when the endpoint gives one. */
	size?: number;
}

interface Envelope<T> {
	values?: T[];
	next?: string;
	size?: number;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class RequestLayer {
	readonly baseUrl: string;

	readonly origin: string;

	readonly retry: RetryOptions;

	/** The base URL's path (`/2.0`): every request stays under it. */
	private readonly basePath: string;

	private readonly transport: Transport;

	private readonly redactor: Redactor;

	/** How this layer waits; the client's merge polling waits the same way. */
	readonly sleep: (ms: number) => Promise<void>;

	/** Clock reading in milliseconds (Date.now unless a test replaces it). */
	readonly now: () => number;

	private readonly random: () => number;

	private readonly onRetry?: (event: RetryEvent) => void;

	constructor(options: RequestLayerOptions) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl);
		const base = new URL(this.baseUrl);
		this.origin = base.origin;
		this.basePath = base.pathname.replace(/\/+$/, '');
		this.transport = options.transport;
		this.retry = resolveRetryOptions(options.retry);
		this.redactor = new Redactor(options.secrets ?? []);
		this.sleep = options.sleep;
		this.random = options.random ?? Math.random;
		this.now = options.now ?? Date.now;
		this.onRetry = options.onRetry;
	}

	/** Builds the absolute URL for a path (or checks a link Bitbucket gave) and appends the query. */
	url(options: Pick<RequestOptions, 'path' | 'url' | 'query' | 'relativeTo'>, source: BitbucketLinkError['source'] = 'next'): string {
		const url = options.url !== undefined ? this.link(options.url, options.relativeTo, source) : this.pathUrl(options.path ?? '/');
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value === undefined || value === null || value === '') continue;
			url.searchParams.delete(key);
			for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) url.searchParams.append(key, queryText(key, item));
		}
		return url.toString();
	}

	/** A path under the base URL. Dot segments (also `%2e`) are refused: URL parsers resolve them away. */
	private pathUrl(path: string): URL {
		if (!path.startsWith('/')) throw new BitbucketInputError(`Path "${path}" must start with "/"`, 'path');
		const segments = path.split(/[?#]/, 1)[0].split('/');
		if (segments.some(isDotSegment)) {
			throw new BitbucketInputError(
				`Path "${path}" contains a "." or ".." segment (or its encoded form %2e): write the path without it`,
				'path',
			);
		}
		const url = new URL(this.baseUrl + path);
		if (url.origin !== this.origin || (url.pathname !== this.basePath && !url.pathname.startsWith(`${this.basePath}/`))) {
			throw new BitbucketInputError(`Path "${path}" leaves the base URL ${this.baseUrl}`, 'path');
		}
		return url;
	}

	/** A link from Bitbucket, resolved against the page it came from, refused unless it stays on the base origin. */
	private link(link: string, relativeTo: string | undefined, source: BitbucketLinkError['source']): URL {
		const what = source === 'next' ? 'next page link' : source === 'redirect' ? 'redirect' : 'task link';
		const url = tryUrl(link, relativeTo ?? `${this.baseUrl}/`);
		if (!url) throw new BitbucketLinkError(`Bitbucket returned a ${what} that is not a URL ("${this.redactor.text(link)}"): stopped`, source);
		if (url.origin !== this.origin) {
			throw new BitbucketLinkError(
				`Refusing to follow a ${what} to ${url.origin}: it is not on the configured base URL's origin (${this.origin}), and credentials are never sent elsewhere`,
				source,
			);
		}
		return url;
	}

	/**
	 * One call: the retry policy decides after each attempt; same-origin GET redirects are followed; errors are
	 * mapped and redacted.
	 */
	async request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>> {
		const method = options.method ?? 'GET';
		let url = this.url(options);
		let waited = 0;
		let redirects = 0;
		for (let attempt = 1; ; attempt++) {
			const sent = await this.transport({ method, url, headers: options.headers ?? {}, body: options.body, text: options.text }).then(
				(answer) => ({ answer }),
				(error: unknown) => ({ error }),
			);
			// Only a lost answer is ours to judge; n8n's own errors (reconnect a credential, a cancelled run) pass on.
			if ('error' in sent && !(sent.error instanceof TransportNetworkError)) throw sent.error;
			const response = 'answer' in sent ? sent.answer : undefined;
			const outcome: AttemptOutcome = response
				? { kind: 'status', status: response.statusCode, retryAfter: header(response.headers, 'retry-after') }
				: { kind: 'network' };
			const reason = 'error' in sent && sent.error instanceof TransportNetworkError ? this.redactor.text(sent.error.message) : '';
			if (response && REDIRECTS.has(response.statusCode) && method === 'GET') {
				const location = header(response.headers, 'location');
				const target = Array.isArray(location) ? location[0] : location;
				if (target) {
					if (++redirects > MAX_REDIRECTS) {
						throw new BitbucketLinkError(`${method} ${this.redactor.text(url)}: more than ${MAX_REDIRECTS} redirects`, 'redirect');
					}
					url = this.url({ url: target, relativeTo: url }, 'redirect');
					attempt--;
					continue;
				}
			}
			const shownUrl = this.shown(url);
			const decision = decideRetry(outcome, { method, attempt, waitedMs: waited, now: this.now() }, this.retry, this.random);
			if (decision.action === 'succeed' && response) {
				return { status: response.statusCode, headers: response.headers, body: response.body as T, url };
			}
			if (decision.action === 'retry') {
				const event: RetryEvent = { reason: decision.reason, method, url: shownUrl, retry: attempt, waitMs: decision.waitMs, retryAfter: decision.retryAfter };
				if (response) event.status = response.statusCode;
				this.onRetry?.(event);
				await this.sleep(decision.waitMs);
				waited += decision.waitMs;
				continue;
			}
			const note = decision.action === 'fail' ? decision.note : undefined;
			if (!response) {
				const processed = decision.action === 'fail' && decision.processed === true;
				throw new BitbucketNetworkError(
					processed
						? `${method} ${shownUrl} failed without a response (${reason}). It was not retried because Bitbucket may have processed it: check before running it again.`
						: `${method} ${shownUrl} failed without a response after ${attempt} attempt(s): ${reason}`,
					method,
					shownUrl,
					attempt,
					processed,
				);
			}
			throw this.apiError(response, method, shownUrl, attempt, note);
		}
	}

	/**
	 * The pages of a collection, one at a time, following `next` as an opaque link (relative links resolved
	 * against the page they came from, never leaving the base origin). The consumer may stop at any page: no
	 * further page is requested. With `maxPages`, asking for one page more fails with a clear error.
	 */
	async *pages<T>(
		first: { path: string; query?: Query } | { url: string },
		options: { maxPages?: number } = {},
	): AsyncGenerator<Page<T>, void, undefined> {
		const { maxPages } = options;
		if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1)) {
			throw new BitbucketInputError(`Max pages must be a whole number of at least 1, got ${String(maxPages)}`, 'maxPages');
		}
		const seen = new Set<string>();
		let url: string | undefined = 'url' in first ? this.url({ url: first.url }) : this.url({ path: first.path, query: first.query });
		// What the first page asked for (sort, fields, q, state, pagelen) applies to every page.
		const firstQuery = new URL(url).searchParams;
		let number = 0;
		let items = 0;
		while (url !== undefined) {
			if (maxPages !== undefined && number >= maxPages) {
				throw new BitbucketPaginationError(
					`Stopped after ${number} page(s) (${items} items) because Max Pages is ${maxPages}, but Bitbucket has more results. Raise Max Pages, set a Limit, or narrow the query.`,
					items,
					number,
				);
			}
			seen.add(url);
			const response: ApiResponse<Envelope<T>> = await this.request<Envelope<T>>({ url });
			number++;
			const body = response.body;
			const values = Array.isArray(body?.values) ? body.values : [];
			items += values.length;
			const rawNext = typeof body?.next === 'string' && body.next ? body.next : undefined;
			const next = rawNext === undefined ? undefined : keepQuery(this.url({ url: rawNext, relativeTo: response.url }), firstQuery);
			if (next !== undefined && seen.has(next)) {
				throw new BitbucketPaginationError(
					`Bitbucket returned a next link already visited after ${number} page(s); stopping to avoid a loop`,
					items,
					number,
				);
			}
			yield { values, url: response.url, next, number, size: typeof body?.size === 'number' ? body.size : undefined };
			url = next;
		}
	}

	/**
	 * Collects a paginated collection. The first page asks for min(limit, maxPageSize) items; no page is requested
	 * once `limit` items are in hand; items seen on an earlier page are dropped when a key is given.
	 */
	async paginate<T>(path: string, options: PageOptions<T>): Promise<T[]> {
		const { limit } = options;
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
			throw new BitbucketInputError(`Limit must be a whole number of at least 1, got ${String(limit)}`, 'limit');
		}
		const pagelen = Math.min(limit ?? options.maxPageSize, options.maxPageSize);
		const query: Query = { ...options.query, pagelen };
		if (typeof query.fields === 'string') query.fields = withNext(query.fields);

		const values: T[] = [];
		const seenKeys = new Set<string | number>();
		for await (const page of this.pages<T>({ path, query }, { maxPages: options.maxPages })) {
			for (const item of page.values) {
				if (options.key) {
					const key = options.key(item);
					if (seenKeys.has(key)) continue;
					seenKeys.add(key);
				}
				values.push(item);
				if (limit !== undefined && values.length >= limit) return values;
			}
		}
		return values;
	}

	/**
	 * One page of a collection, for UIs that page on demand (n8n's searchable lists): pass the previous page's
	 * `next` to continue.
	 */
	async page<T>(path: string, query: Query, next?: string): Promise<{ values: T[]; next?: string }> {
		const iterator = this.pages<T>(next ? { url: next } : { path, query });
		const { value } = await iterator.next();
		await iterator.return(undefined);
		return value ? { values: value.values, next: value.next } : { values: [] };
	}

	/** A URL as messages show it: redacted, and without the `fields` selection (ours, long, never the problem). */
	private shown(url: string): string {
		const parsed = new URL(url);
		parsed.searchParams.delete('fields');
		return this.redactor.text(parsed.toString());
	}

	/** Every form of the layer's secrets replaced by `***` (for messages built outside the layer). */
	redact(text: string): string {
		return this.redactor.text(text);
	}

	private apiError(
		response: TransportResponse,
		method: string,
		url: string,
		attempts: number,
		note?: string,
	): BitbucketApiError {
		const status = response.statusCode;
		const parsed = parseErrorBody(response.body);
		const base = parsed.message ? this.redactor.text(parsed.message) : statusText(status);
		const message = `Bitbucket ${status}: ${base}${note ? ` (${note})` : ''}`;
		return new BitbucketApiError(message, status, {
			detail: parsed.detail !== undefined ? this.redactor.text(parsed.detail) : undefined,
			fields: parsed.fields ? this.redactor.value(parsed.fields) : undefined,
			method,
			url,
			attempts,
			errorId: parsed.id,
			body: this.redactor.value(parsed.raw),
		});
	}
}

/**
 * A `next` link with every parameter of the first request it lacks put back (never `page`). Bitbucket's links
 * normally carry them all; the pipelines list is known to drop `sort` and `fields`, which would mix orders and
 * shapes across pages.
 */
function keepQuery(next: string, first: URLSearchParams): string {
	const url = new URL(next);
	let changed = false;
	for (const name of new Set(first.keys())) {
		if (name === 'page' || url.searchParams.has(name)) continue;
		for (const value of first.getAll(name)) url.searchParams.append(name, value);
		changed = true;
	}
	return changed ? url.toString() : next;
}

/** A query value as text; an object (from a JSON field) is a typed error naming the parameter, never "[object Object]". */
function queryText(key: string, value: unknown): string {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new BitbucketInputError(
		`Query parameter "${key}" must be text, a number, true/false or a list of those, not ${value === null ? 'null' : Array.isArray(value) ? 'a nested list' : 'an object'}`,
		'query',
	);
}

function header(headers: TransportResponse['headers'], name: string): string | string[] | undefined {
	const direct = headers[name];
	if (direct !== undefined) return direct;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/**
 * A `fields` selection applies to the envelope too: without `next` in it, pagination silently stops after one
 * page. Plain selections (no +/- prefix) get `next` added.
 */
export function withNext(fields: string): string {
	const parts = fields
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	const selects = parts.some((p) => !p.startsWith('+') && !p.startsWith('-'));
	if (selects && !parts.includes('next')) parts.push('next');
	return parts.join(',');
}

export { header as responseHeader };
