import type { CommitRecord, PipelineResult, SandboxState } from './model';
import type { WebhookDispatcher } from './webhooks';

export interface SeedOptions {
	/** Pull requests in technocore_axion/axion (default 120). */
	pullRequests?: number;
	/** Commits in technocore_axion/axion (default 260). */
	commits?: number;
	/** Pipelines in technocore_axion/axion (default 30). */
	pipelines?: number;
	/** Issues in technocore_axion/axion (default 25). */
	issues?: number;
	/** Extra repositories in the workspace besides axion and no-tracker (default 12). */
	repositories?: number;
}

export interface SandboxOptions {
	/** 0 = random free port (default). */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Added before every API response (default 0). */
	latencyMs?: number;
	seed?: SeedOptions;
	/** Default false: app-password Basic auth answers 401, as Bitbucket does since 2026-07-28. */
	appPasswordsEnabled?: boolean;
}

export type AuthKind = 'apiToken' | 'accessToken' | 'appPassword' | 'oauth2' | 'none' | 'invalid';

export interface RecordedRequest {
	method: string;
	/** Raw path as received, still percent-encoded, without the query string. */
	path: string;
	query: Record<string, string[]>;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	/** Parsed JSON, or the raw string, or undefined when the body is empty. */
	body: unknown;
	rawBody: string;
	authKind: AuthKind;
	/** What the sandbox answered; 0 when the connection was dropped without an answer. */
	status: number;
	/** performance.now() when the request arrived and when its answer was sent (0 until then). */
	arrivedAt: number;
	answeredAt: number;
}

export interface FaultSpec {
	/** 429, 500, 502, 503, 555, ... */
	status: number;
	/** Exact Retry-After header value; the header is omitted when undefined. */
	retryAfter?: string;
	body?: string;
	/** Default text/plain for 429 ('Rate limit for this resource has been exceeded'), JSON error envelope for the rest. */
	contentType?: string;
	/** Destroy the socket without answering (a dropped connection). */
	drop?: boolean;
	/** Only requests with this method consume the fault. */
	method?: string;
	/** Only requests whose raw path (with the /2.0 prefix, without the query) matches consume the fault. */
	pathPattern?: RegExp;
	/** For 5xx / drop: perform the real operation first, then answer the fault ("processed but response lost"). */
	afterProcessing?: boolean;
	/** For 3xx: the Location header (a redirect, possibly to another origin). */
	location?: string;
}

/** A steady rate limit, as a busy account meets it (set with `setRateLimit`, cleared by `reset`). */
export interface RateLimitSpec {
	/** Every n-th API request (counted from when the limit is set) answers 429, text/plain, without Retry-After. */
	every?: number;
	/** From this many API requests on (0: from the first), answers carry `X-RateLimit-NearLimit: true`. */
	nearLimitAfter?: number;
}

/** What reached the server since the last reset or `clearRequests`. */
export interface TrafficStats {
	/** TCP connections opened (a client that reuses keep-alive connections opens few). */
	connections: number;
	/** The most API requests that were being answered at one moment. */
	maxInFlight: number;
	/** 429s sent by the rate limit (`setRateLimit`), not by injected faults. */
	rateLimited: number;
}

export interface RequestFilter {
	method?: string;
	pathPattern?: RegExp;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:34567/2.0 */
	readonly baseUrl: string;
	/** e.g. http://127.0.0.1:34567 */
	readonly origin: string;
	/** Every API request, in order (control endpoints excluded). */
	readonly requests: RecordedRequest[];
	requestCount(filter?: RequestFilter): number;
	clearRequests(): void;
	/** The next `times` (default 1) matching requests get this fault. */
	inject(fault: FaultSpec, times?: number): void;
	clearFaults(): void;
	setLatency(ms: number): void;
	setAppPasswordsEnabled(on: boolean): void;
	/** A steady rate limit; `undefined` removes it. */
	setRateLimit(spec: RateLimitSpec | undefined): void;
	/** Connections, concurrency and rate-limit answers since the last reset or `clearRequests`. */
	readonly traffic: TrafficStats;
	/**
	 * Called as each API request arrives, before it is answered (the record's status is still 0): a test can
	 * change the data between two pages of a walk, or return a number of milliseconds to answer this request
	 * that much later than the others. Cleared by `reset`.
	 */
	onRequest?: (request: RecordedRequest, index: number) => number | void;
	/** Reseed data, clear requests and faults, latency and app-password switch back to the options. */
	reset(): void;
	/** Direct read access to the data, for assertions. */
	readonly state: SandboxState;
	/** Webhook deliveries: the attempts made, tampering, redelivery, waiting for them. */
	readonly webhooks: WebhookDispatcher;
	/** Pull requests updated at one same moment (`at`, or now); delivers pullrequest:updated. */
	touchPullRequests(ids: number[], options?: { at?: string; title?: string; workspace?: string; repo?: string }): string;
	/** `count` commits pushed to a branch; delivers repo:push. */
	pushCommits(branch: string, count: number, options?: { workspace?: string; repo?: string; message?: string }): CommitRecord[];
	/** A pipeline finishes with a result; delivers repo:commit_status_created/updated. */
	completePipeline(buildNumber: number, result: PipelineResult, options?: { workspace?: string; repo?: string }): void;
	close(): Promise<void>;
}
