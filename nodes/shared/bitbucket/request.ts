/**
 * The request layer: the only place that talks to the transport. It owns
 *  - URLs: base URL + encoded path + query; `next`/`Location` links followed only on the base URL's origin;
 *  - pagination: `next` followed as an opaque URL, first page sized to the limit, an exact stop, a maxPages guard;
 *  - 429: Retry-After (seconds or date) when sent, exponential backoff with jitter when not, for every method;
 *  - 5xx / 555 / dropped connections: retried for GET, PUT and DELETE only — a POST is never replayed;
 *  - errors: Bitbucket's error body (or a text/HTML body) → BitbucketApiError, with secrets redacted.
 */
import {
	BitbucketApiError,
	BitbucketInputError,
	BitbucketNetworkError,
	BitbucketPaginationError,
	parseErrorBody,
	redactText,
	redactValue,
	statusText,
} from './errors';
import { normalizeBaseUrl } from './auth';
import {
	backoffDelay,
	isIdempotent,
	parseRetryAfter,
	resolveRetryOptions,
	type RetryOptions,
} from './retry';
import type { HttpMethod, Transport, TransportResponse } from './transport';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;
export type Query = Record<string, QueryValue>;

export interface RetryEvent {
	reason: 'rateLimit' | 'serverError' | 'network';
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
	/** Strings that must never appear in errors (tokens, passwords, their Basic encodings). */
	secrets?: readonly string[];
	/** Called before each wait; for logging. */
	onRetry?: (event: RetryEvent) => void;
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
	now?: () => number;
}

export interface RequestOptions {
	method?: HttpMethod;
	/** Path under the base URL, already encoded (see paths.ts). */
	path?: string;
	/** Absolute URL (a `next` or `Location` link): must be on the base URL's origin. */
	url?: string;
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

interface Envelope<T> {
	values?: T[];
	next?: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RequestLayer {
	readonly baseUrl: string;

	readonly origin: string;

	readonly retry: RetryOptions;

	private readonly transport: Transport;

	private readonly secrets: readonly string[];

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly random: () => number;

	private readonly now: () => number;

	private readonly onRetry?: (event: RetryEvent) => void;

	constructor(options: RequestLayerOptions) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl);
		this.origin = new URL(this.baseUrl).origin;
		this.transport = options.transport;
		this.retry = resolveRetryOptions(options.retry);
		this.secrets = (options.secrets ?? []).filter((s) => s.length > 0);
		this.sleep = options.sleep ?? realSleep;
		this.random = options.random ?? Math.random;
		this.now = options.now ?? Date.now;
		this.onRetry = options.onRetry;
	}

	/** Builds the absolute URL for a path (or checks an absolute one) and appends the query. */
	url(options: Pick<RequestOptions, 'path' | 'url' | 'query'>): string {
		let url: URL;
		if (options.url !== undefined) {
			url = new URL(options.url);
			if (url.origin !== this.origin) {
				throw new BitbucketPaginationError(
					`Refusing to follow a link to ${url.origin}: it is not on the configured base URL's origin (${this.origin}), and credentials are never sent elsewhere`,
					0,
					0,
				);
			}
		} else {
			const path = options.path ?? '/';
			if (!path.startsWith('/')) throw new BitbucketInputError(`Path "${path}" must start with "/"`, 'path');
			url = new URL(this.baseUrl + path);
		}
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value === undefined || value === null || value === '') continue;
			url.searchParams.delete(key);
			if (Array.isArray(value)) {
				for (const item of value as ReadonlyArray<string | number>) url.searchParams.append(key, String(item));
			} else {
				url.searchParams.set(key, String(value));
			}
		}
		return url.toString();
	}

	/** One call: retries 429 for any method, 5xx/dropped connections for idempotent methods; maps errors. */
	async request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>> {
		const method = options.method ?? 'GET';
		const url = this.url(options);
		const shownUrl = this.redact(url);
		let waited = 0;
		for (let attempt = 1; ; attempt++) {
			const retriesLeft = attempt <= this.retry.maxRetries;
			let response: TransportResponse;
			try {
				response = await this.transport({
					method,
					url,
					headers: options.headers ?? {},
					body: options.body,
					text: options.text,
				});
			} catch (error) {
				const reason = this.redact(error instanceof Error ? error.message : String(error));
				if (!isIdempotent(method)) {
					throw new BitbucketNetworkError(
						`${method} ${shownUrl} failed without a response (${reason}). It was not retried because Bitbucket may have processed it: check before running it again.`,
						method,
						shownUrl,
						attempt,
					);
				}
				const wait = backoffDelay(this.retry.serverErrorDelayMs, attempt - 1, this.retry, this.random);
				if (!retriesLeft || waited + wait > this.retry.maxTotalWaitMs) {
					throw new BitbucketNetworkError(
						`${method} ${shownUrl} failed without a response after ${attempt} attempt(s): ${reason}`,
						method,
						shownUrl,
						attempt,
					);
				}
				waited += await this.wait({ reason: 'network', method, url: shownUrl, retry: attempt, waitMs: wait, retryAfter: false });
				continue;
			}

			const status = response.statusCode;
			if (status < 400) return { status, headers: response.headers, body: response.body as T };

			if (status === 429) {
				const retryAfter = parseRetryAfter(header(response.headers, 'retry-after'), this.now());
				const wait =
					retryAfter !== undefined
						? Math.min(retryAfter, this.retry.maxDelayMs)
						: backoffDelay(this.retry.rateLimitDelayMs, attempt - 1, this.retry, this.random);
				if (!retriesLeft) {
					throw this.apiError(response, method, shownUrl, attempt, `gave up after ${attempt} attempts (${formatMs(waited)} waited); try again later or lower the request rate`);
				}
				if (retryAfter !== undefined && retryAfter > this.retry.maxDelayMs) {
					throw this.apiError(response, method, shownUrl, attempt, `Bitbucket asks to wait ${formatMs(retryAfter)}, longer than the allowed ${formatMs(this.retry.maxDelayMs)}`);
				}
				if (waited + wait > this.retry.maxTotalWaitMs) {
					throw this.apiError(response, method, shownUrl, attempt, `waiting another ${formatMs(wait)} would exceed the total wait limit of ${formatMs(this.retry.maxTotalWaitMs)}`);
				}
				waited += await this.wait({ reason: 'rateLimit', method, url: shownUrl, retry: attempt, waitMs: wait, retryAfter: retryAfter !== undefined, status });
				continue;
			}

			if (status >= 500 && isIdempotent(method) && retriesLeft) {
				const wait = backoffDelay(this.retry.serverErrorDelayMs, attempt - 1, this.retry, this.random);
				if (waited + wait <= this.retry.maxTotalWaitMs) {
					waited += await this.wait({ reason: 'serverError', method, url: shownUrl, retry: attempt, waitMs: wait, retryAfter: false, status });
					continue;
				}
			}
			const note =
				status >= 500 && !isIdempotent(method)
					? 'not retried because Bitbucket may have processed it: check before running it again'
					: status >= 500 && attempt > 1
						? `after ${attempt} attempts`
						: undefined;
			throw this.apiError(response, method, shownUrl, attempt, note);
		}
	}

	/**
	 * Walks a paginated collection by following `next` links as opaque URLs.
	 * The first page asks for min(limit, maxPageSize) items; no page is requested once `limit` items are in hand.
	 */
	async paginate<T>(path: string, options: PageOptions<T>): Promise<T[]> {
		const { limit, maxPages } = options;
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
			throw new BitbucketInputError(`Limit must be a whole number of at least 1, got ${String(limit)}`, 'limit');
		}
		if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1)) {
			throw new BitbucketInputError(`Max pages must be a whole number of at least 1, got ${String(maxPages)}`, 'maxPages');
		}
		const pagelen = Math.min(limit ?? options.maxPageSize, options.maxPageSize);
		const query: Query = { ...options.query, pagelen };
		if (typeof query.fields === 'string') query.fields = withNext(query.fields);

		const values: T[] = [];
		const seenKeys = new Set<string | number>();
		const seenUrls = new Set<string>();
		let next: string | undefined = this.url({ path, query });
		let pages = 0;
		while (next !== undefined) {
			if (maxPages !== undefined && pages >= maxPages) {
				throw new BitbucketPaginationError(
					`Stopped after ${pages} page(s) (${values.length} items) because Max Pages is ${maxPages}, but Bitbucket has more results. Raise Max Pages, set a Limit, or narrow the query.`,
					values.length,
					pages,
				);
			}
			seenUrls.add(next);
			const { body }: ApiResponse<Envelope<T>> = await this.request<Envelope<T>>({ url: next });
			pages++;
			for (const item of body?.values ?? []) {
				if (options.key) {
					const key = options.key(item);
					if (seenKeys.has(key)) continue;
					seenKeys.add(key);
				}
				values.push(item);
				if (limit !== undefined && values.length >= limit) return values;
			}
			next = nextLink(body);
			if (next !== undefined && seenUrls.has(next)) {
				throw new BitbucketPaginationError(
					`Bitbucket returned a next link already visited after ${pages} page(s); stopping to avoid a loop`,
					values.length,
					pages,
				);
			}
		}
		return values;
	}

	/**
	 * One page of a collection, for UIs that page on demand (n8n's searchable lists): pass the previous page's
	 * `next` to continue.
	 */
	async page<T>(path: string, query: Query, next?: string): Promise<{ values: T[]; next?: string }> {
		const { body }: ApiResponse<Envelope<T>> = next
			? await this.request<Envelope<T>>({ url: next })
			: await this.request<Envelope<T>>({ path, query });
		return { values: body?.values ?? [], next: nextLink(body) };
	}

	private async wait(event: RetryEvent): Promise<number> {
		this.onRetry?.(event);
		await this.sleep(event.waitMs);
		return event.waitMs;
	}

	private redact(text: string): string {
		return redactText(text, this.secrets);
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
		const base = parsed.message ? this.redact(parsed.message) : statusText(status);
		const message = `Bitbucket ${status}: ${base}${note ? ` (${note})` : ''}`;
		return new BitbucketApiError(message, status, {
			detail: parsed.detail !== undefined ? this.redact(parsed.detail) : undefined,
			fields: parsed.fields ? redactValue(parsed.fields, this.secrets) : undefined,
			method,
			url,
			attempts,
			errorId: parsed.id,
			body: redactValue(parsed.raw, this.secrets),
		});
	}
}

/** The envelope's `next` link, if there is another page. */
function nextLink(body: Envelope<unknown> | undefined): string | undefined {
	return typeof body?.next === 'string' && body.next ? body.next : undefined;
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

export function formatMs(ms: number): string {
	if (ms < 1000) return `${ms} ms`;
	const s = ms / 1000;
	return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}

export { header as responseHeader };
