/**
 * The request layer: the only place that talks to the transport. It owns
 *  - URLs: base URL + encoded path + query; no dot segments; `next`, redirect and `Location` links followed only
 *    on the base URL's origin (relative ones resolved against the page they came from);
 *  - retries: asks the pure policy in retry.ts after every attempt (429 for any method, 5xx and lost answers for
 *    idempotent methods only) and waits what it says;
 *  - redirects: same-origin redirects of GET are followed, any other origin is refused;
 *  - pagination: one async page iterator (`pages`); collect-all with limit and de-duplication, and the UI's
 *    one-page lookup, are thin consumers of it. A page-numbered collection (it says `size` and `page`, and its
 *    `next` asks for page 2) is fetched several pages at a time once its size is known; cursor collections are
 *    walked link by link;
 *  - concurrency: every attempt passes one RequestGate (gate.ts), which bounds the requests in flight and makes
 *    all of them wait out a 429 together;
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
import { RequestGate } from './gate';
import { isDotSegment, tryUrl } from './paths';
import { decideRetry, resolveRetryOptions, type AttemptOutcome, type RetryOptions, type RetryReason } from './retry';
import {
	isByteStream,
	parseBody,
	readBytes,
	TransportNetworkError,
	type HttpMethod,
	type Transport,
	type TransportRequest,
	type TransportResponse,
} from './transport';

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
	/**
	 * The gate shared by everything one execution sends (the node's item pool and page pools). Without one, the
	 * layer makes its own with `concurrency`.
	 */
	gate?: RequestGate;
	/** Requests in flight at once when the layer makes its own gate (default 4; 1 = one after another). */
	concurrency?: number;
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
	/** A successful response's body as a ByteStream (see TransportRequest.stream). */
	stream?: boolean;
	/** A body already encoded (multipart/form-data); `body` must then be unset. */
	raw?: TransportRequest['raw'];
	/** Values this call sends that must never show in its errors (a secured variable's value). */
	secrets?: readonly string[];
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
	/** Drops items already seen (data can shift between pages while walking); default: identityOf. */
	key?: (item: T) => string | number | undefined;
	/** Walk one page after another even where pages could be fetched at once (benchmarks compare the two). */
	sequential?: boolean;
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
	page?: number;
	pagelen?: number;
}

/** What a page-numbered collection told on its first page: enough to ask for the other pages at once. */
interface NumberedPlan {
	size: number;
	pagelen: number;
	/** The first page's `next` link (checked, query kept): page N is this link with `page=N`. */
	template: string;
}

interface FetchedPage<T> {
	page: Omit<Page<T>, 'number'>;
	body: Envelope<T>;
}

/** What fetching ahead read: the pages and items yielded, their URLs, and the link to go on from (if any). */
interface AheadResult {
	pages: number;
	items: number;
	next?: string;
	visited: string[];
}

/** How many times a walk starts over from an earlier page because the collection changed under it. */
const MAX_RESTARTS = 5;

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

	/** Bounds the requests in flight and holds the shared rate-limit pause. */
	readonly gate: RequestGate;

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
		this.gate = options.gate ?? new RequestGate({ concurrency: options.concurrency ?? 4, sleep: this.sleep, now: this.now });
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
		const redactor = options.secrets?.length ? this.redactor.with(options.secrets) : this.redactor;
		for (let attempt = 1; ; attempt++) {
			const slot = await this.gate.enter();
			waited += slot.pausedMs;
			const sent = await this.transport({
				method,
				url,
				headers: options.headers ?? {},
				body: options.body,
				text: options.text,
				stream: options.stream,
				raw: options.raw,
			}).then(
				(answer) => ({ answer }),
				(error: unknown) => ({ error }),
			);
			slot.release();
			// A streamed answer that is not the file (an error, a redirect): read it, to judge and to word it.
			if ('answer' in sent && isByteStream(sent.answer.body) && (sent.answer.statusCode < 200 || sent.answer.statusCode >= 300)) {
				const text = new TextDecoder().decode(await readBytes(sent.answer.body));
				const contentType = header(sent.answer.headers, 'content-type');
				sent.answer.body = parseBody(text, Array.isArray(contentType) ? contentType[0] : contentType);
			}
			// Only a lost answer is ours to judge; n8n's own errors (reconnect a credential, a cancelled run) pass on.
			if ('error' in sent && !(sent.error instanceof TransportNetworkError)) throw sent.error;
			const response = 'answer' in sent ? sent.answer : undefined;
			if (response && String(header(response.headers, 'x-ratelimit-nearlimit')).toLowerCase() === 'true') this.gate.slowDown();
			// A 429 for a request sent before another request paused everyone is that same storm: wait with the
			// others (in gate.enter) without counting another retry or stretching the pause.
			if (response?.statusCode === 429 && slot.epoch !== this.gate.epoch) {
				attempt--;
				continue;
			}
			const outcome: AttemptOutcome = response
				? { kind: 'status', status: response.statusCode, retryAfter: header(response.headers, 'retry-after') }
				: { kind: 'network' };
			const reason = 'error' in sent && sent.error instanceof TransportNetworkError ? redactor.text(sent.error.message) : '';
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
				if (decision.reason === 'rateLimit') {
					// Everyone waits: the next gate.enter() (this request's too) sleeps until the pause ends.
					this.gate.pause(decision.waitMs);
				} else {
					await this.sleep(decision.waitMs);
					waited += decision.waitMs;
				}
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
			throw this.apiError(response, method, shownUrl, attempt, note, redactor);
		}
	}

	/**
	 * The pages of a collection, in order, following `next` as an opaque link (relative links resolved against
	 * the page they came from, never leaving the base origin). The consumer may stop at any page. With
	 * `maxPages`, asking for one page more fails with a clear error.
	 *
	 * With `ahead`, a page-numbered collection is fetched up to that many pages at a time once its first page
	 * gave its size, and only the pages that `limit` items need. Should the collection change under the walk (a
	 * page answers "Invalid page", or another size), the pages fetched ahead are dropped and the walk goes on
	 * link by link from the last page read before the change, stepping back as far as the collection shrank, so
	 * items that moved to earlier pages are read again rather than lost (the consumer drops repeats by key).
	 */
	async *pages<T>(
		first: { path: string; query?: Query } | { url: string },
		options: { maxPages?: number; ahead?: number; limit?: number } = {},
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
		let plan: NumberedPlan | undefined;
		let restarts = 0;
		while (url !== undefined) {
			if (maxPages !== undefined && number >= maxPages) {
				throw new BitbucketPaginationError(
					`Stopped after ${number} page(s) (${items} items) because Max Pages is ${maxPages}, but Bitbucket has more results. Raise Max Pages, set a Limit, or narrow the query.`,
					items,
					number,
				);
			}
			seen.add(url);
			const fetched: { page: FetchedPage<T> } | { error: unknown } = await this.fetchPage<T>(url, firstQuery).then(
				(page) => ({ page }),
				(error: unknown) => ({ error }),
			);
			if ('error' in fetched) {
				// Past the end of a page-numbered walk: the collection shrank under it. The page before tells the
				// new size (and the walk steps back from there).
				const current = plan && isInvalidPage(fetched.error) ? pageNumberOf(url) : undefined;
				if (!plan || current === undefined || current <= 1) throw fetched.error;
				seen.clear();
				url = pageLink(plan.template, current - 1);
				continue;
			}
			const { page, body }: FetchedPage<T> = fetched.page;
			number++;
			items += page.values.length;
			if (plan && typeof body.size === 'number' && body.size !== plan.size) {
				// The collection changed under the walk: items may have moved back by as much as it shrank.
				const back = Math.ceil(Math.max(0, plan.size - body.size) / plan.pagelen);
				const current = pageNumberOf(url) ?? 1;
				plan = { ...plan, size: body.size };
				if (back > 0) {
					restarts = this.restart(restarts, number, items);
					seen.clear();
					url = pageLink(plan.template, Math.max(1, current - back));
					continue;
				}
			}
			if (page.next !== undefined && seen.has(page.next)) {
				throw new BitbucketPaginationError(
					`Bitbucket returned a next link already visited after ${number} page(s); stopping to avoid a loop`,
					items,
					number,
				);
			}
			yield { ...page, number };
			url = page.next;
			if (number === 1 && url !== undefined) plan = numberedPlan(body, page.values.length, url);
			if (number === 1 && plan && (options.ahead ?? 1) > 1) {
				const ahead: AheadResult = yield* this.pagesAhead<T>(plan, firstQuery, { ahead: options.ahead ?? 1, limit: options.limit, maxPages, items });
				number += ahead.pages;
				items += ahead.items;
				for (const link of ahead.visited) seen.add(link);
				url = ahead.next;
			}
		}
	}

	/** Counts one more start-over of a walk; past MAX_RESTARTS the walk fails instead of chasing the data. */
	private restart(restarts: number, pages: number, items: number): number {
		if (restarts >= MAX_RESTARTS) {
			throw new BitbucketPaginationError(
				`The collection kept changing while it was being read (${MAX_RESTARTS + 1} changes after ${pages} page(s)): stopped rather than return an incomplete list. Narrow the query or run again.`,
				items,
				pages,
			);
		}
		return restarts + 1;
	}

	/** One page: the request, the checked `next` link (first query kept), the raw envelope. */
	private async fetchPage<T>(url: string, firstQuery: URLSearchParams): Promise<FetchedPage<T>> {
		const response: ApiResponse<Envelope<T>> = await this.request<Envelope<T>>({ url });
		const body = response.body ?? {};
		const values = Array.isArray(body.values) ? body.values : [];
		const rawNext = typeof body.next === 'string' && body.next ? body.next : undefined;
		const next = rawNext === undefined ? undefined : keepQuery(this.url({ url: rawNext, relativeTo: response.url }), firstQuery);
		return { page: { values, url: response.url, next, size: typeof body.size === 'number' ? body.size : undefined }, body };
	}

	/**
	 * Pages 2.. of a page-numbered collection, at most `ahead` in flight, yielded in page order. Stops at the
	 * pages `limit` needs, or at `maxPages` (the caller then reports the cap). On the first page that shows the
	 * collection changed, stops asking, lets the requests in flight settle, and hands back the link to go on
	 * from, link by link. An error fails the walk with the first failing page, once the others have settled.
	 */
	private async *pagesAhead<T>(
		plan: NumberedPlan,
		firstQuery: URLSearchParams,
		options: { ahead: number; limit?: number; maxPages?: number; items: number },
	): AsyncGenerator<Page<T>, AheadResult, undefined> {
		const wanted = options.limit === undefined ? plan.size : Math.min(plan.size, options.limit);
		const last = Math.min(Math.max(1, Math.ceil(wanted / plan.pagelen)), options.maxPages ?? Number.MAX_SAFE_INTEGER);
		type Result = FetchedPage<T> | { error: unknown };
		// One settled-once slot per page, filled by whichever worker asked for it.
		const slots = new Map<number, { promise: Promise<Result>; settle: (result: Result) => void }>();
		for (let n = 2; n <= last; n++) {
			let settle!: (result: Result) => void;
			const promise = new Promise<Result>((resolve) => (settle = resolve));
			slots.set(n, { promise, settle });
		}
		let nextToAsk = 2;
		let stopped = false;
		// `ahead` workers take page numbers in order until the last page, or until the walk stops.
		const worker = async (): Promise<void> => {
			while (!stopped && nextToAsk <= last) {
				const n = nextToAsk++;
				const result: Result = await this.fetchPage<T>(pageLink(plan.template, n), firstQuery).then(
					(page) => page,
					(error: unknown) => ({ error }),
				);
				slots.get(n)?.settle(result);
			}
		};
		const workers = Array.from({ length: Math.min(options.ahead, last - 1) }, async () => await worker());
		let pages = 0;
		let items = 0;
		let next: string | undefined = pageLink(plan.template, 2);
		const visited: string[] = [];
		try {
			for (let n = 2; n <= last; n++) {
				const result = await (slots.get(n) as { promise: Promise<Result> }).promise;
				// Changed under the walk (past the end now, or another size): go on link by link from the page
				// before, which tells the new size; the walk steps back from there if the collection shrank.
				if ('error' in result && isInvalidPage(result.error)) return { pages, items, next: pageLink(plan.template, n - 1), visited };
				if ('error' in result) throw result.error;
				const { page, body } = result;
				if (body.size !== plan.size || (typeof body.page === 'number' && body.page !== n)) {
					return { pages, items, next: pageLink(plan.template, n), visited };
				}
				pages++;
				items += page.values.length;
				visited.push(page.url);
				yield { ...page, number: 1 + pages };
				next = page.next;
				if (next === undefined) return { pages, items, visited };
			}
			return { pages, items, next, visited };
		} finally {
			stopped = true;
			await Promise.allSettled(workers);
		}
	}

	/**
	 * Collects a paginated collection. The first page asks for min(limit, maxPageSize) items; no page is requested
	 * once `limit` items are in hand; items seen on an earlier page are dropped (by `key`, else by the item's own
	 * uuid, id, hash or self link). Page-numbered collections are fetched through the gate several pages at a
	 * time (`sequential` keeps the one-by-one walk, for comparison).
	 */
	async paginate<T>(path: string, options: PageOptions<T>): Promise<T[]> {
		const { limit } = options;
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
			throw new BitbucketInputError(`Limit must be a whole number of at least 1, got ${String(limit)}`, 'limit');
		}
		const pagelen = Math.min(limit ?? options.maxPageSize, options.maxPageSize);
		const query: Query = { ...options.query, pagelen };
		if (typeof query.fields === 'string') query.fields = withPaging(query.fields);
		const ahead = options.sequential ? 1 : this.gate.concurrency;

		const values: T[] = [];
		const seenKeys = new Set<string | number>();
		const keyOf = options.key ?? identityOf;
		for await (const page of this.pages<T>({ path, query }, { maxPages: options.maxPages, ahead, limit })) {
			for (const item of page.values) {
				const key = keyOf(item);
				if (key !== undefined) {
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
		note: string | undefined,
		redactor: Redactor,
	): BitbucketApiError {
		const status = response.statusCode;
		const parsed = parseErrorBody(response.body);
		const base = parsed.message ? redactor.text(parsed.message) : statusText(status);
		const message = `Bitbucket ${status}: ${base}${note ? ` (${note})` : ''}`;
		return new BitbucketApiError(message, status, {
			detail: parsed.detail !== undefined ? redactor.text(parsed.detail) : undefined,
			fields: parsed.fields ? redactor.value(parsed.fields) : undefined,
			method,
			url,
			attempts,
			errorId: parsed.id,
			body: redactor.value(parsed.raw),
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
 * page, and without `size` and `page` the other pages cannot be fetched at once. Plain selections (no +/-
 * prefix) get the three added.
 */
export function withPaging(fields: string): string {
	const parts = fields
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	const selects = parts.some((p) => !p.startsWith('+') && !p.startsWith('-'));
	if (selects) for (const name of ['next', 'size', 'page']) if (!parts.includes(name)) parts.push(name);
	return parts.join(',');
}

/**
 * A page-numbered collection, as its first page shows it: `size` and `page: 1`, a full page, and a `next` link
 * that asks for page 2. Cursor collections (commits, filtered ref lists, activity) have no such link.
 */
function numberedPlan<T>(body: Envelope<T>, count: number, next: string): NumberedPlan | undefined {
	if (typeof body.size !== 'number' || body.page !== 1) return undefined;
	const pagelen = typeof body.pagelen === 'number' && body.pagelen > 0 ? body.pagelen : count;
	if (pagelen < 1 || count !== pagelen || pageNumberOf(next) !== 2) return undefined;
	return { size: body.size, pagelen, template: next };
}

/** The `page` number a link asks for, when it is a plain number. */
function pageNumberOf(link: string): number | undefined {
	const page = new URL(link).searchParams.get('page');
	return page !== null && /^[1-9]\d{0,8}$/.test(page) ? Number(page) : undefined;
}

/** A page-numbered collection's link for page `n`: the first page's `next` with only `page` changed. */
function pageLink(template: string, n: number): string {
	const url = new URL(template);
	url.searchParams.set('page', String(n));
	return url.toString();
}

/** Bitbucket's answer to a page number past the end of a collection. */
function isInvalidPage(error: unknown): boolean {
	return error instanceof BitbucketApiError && error.status === 400 && /invalid page/i.test(error.message);
}

/** What makes a Bitbucket object itself: its uuid, id, commit hash, or self link (undefined: nothing to go by). */
export function identityOf(item: unknown): string | number | undefined {
	if (item === null || typeof item !== 'object') return undefined;
	const object = item as { uuid?: unknown; id?: unknown; hash?: unknown; links?: { self?: { href?: unknown } } };
	if (typeof object.uuid === 'string') return `uuid:${object.uuid}`;
	if (typeof object.id === 'number' || typeof object.id === 'string') return `id:${object.id}`;
	if (typeof object.hash === 'string') return `hash:${object.hash}`;
	const self = object.links?.self?.href;
	return typeof self === 'string' ? `self:${self}` : undefined;
}

export { header as responseHeader };
