/**
 * The retry policy, as a pure function: for one outcome of one attempt it decides whether to wait and try again
 * (and how long), or to give up (and with which note). No HTTP, no clock, no timers: the request layer asks it
 * and does what it says.
 *
 * Bitbucket's rules it encodes:
 *  - a 429 means the request was not processed: any method may be retried. Retry-After (seconds or an HTTP date)
 *    is honoured when sent; usually it is not, and retrying fast makes the hourly limit worse, so the default
 *    first wait is a full minute, doubling, with jitter so parallel workers do not come back at the same instant;
 *  - a 5xx (555 included) or a connection lost without an answer may have been processed: only GET, PUT and
 *    DELETE (idempotent) are retried, never a POST;
 *  - the number of retries and the total time spent waiting are bounded, and the note says which bound ended it.
 */
import { BitbucketInputError } from './errors';

export interface RetryOptions {
	/** Retries after the first attempt (429, 5xx and dropped connections together). Default 3. */
	maxRetries: number;
	/** First wait after a 429 without Retry-After; doubles each time. Default 60 000 ms. */
	rateLimitDelayMs: number;
	/** First wait after a 5xx or a dropped connection (idempotent methods only); doubles. Default 1 000 ms. */
	serverErrorDelayMs: number;
	/** Longest single wait, Retry-After included. Default 300 000 ms. */
	maxDelayMs: number;
	/** Longest total wait for one call; past it the call fails with a clear error. Default 600 000 ms. */
	maxTotalWaitMs: number;
	/** Random extra wait, as a fraction of the computed wait (0.25 → up to +25 %). Default 0.25. */
	jitter: number;
}

export const DEFAULT_RETRY: RetryOptions = {
	maxRetries: 3,
	rateLimitDelayMs: 60_000,
	serverErrorDelayMs: 1_000,
	maxDelayMs: 300_000,
	maxTotalWaitMs: 600_000,
	jitter: 0.25,
};

/** Upper bounds that keep a misconfigured option from turning one call into an endless wait. */
const LIMITS: Record<keyof RetryOptions, number> = {
	maxRetries: 100,
	rateLimitDelayMs: 24 * 3_600_000,
	serverErrorDelayMs: 24 * 3_600_000,
	maxDelayMs: 24 * 3_600_000,
	maxTotalWaitMs: 7 * 24 * 3_600_000,
	jitter: 1,
};

/** Validates partial options (field = the option's name) and fills in the defaults. */
export function resolveRetryOptions(partial: Partial<RetryOptions> | undefined): RetryOptions {
	const merged = { ...DEFAULT_RETRY };
	for (const [key, value] of Object.entries(partial ?? {}) as Array<[keyof RetryOptions, unknown]>) {
		if (value === undefined) continue;
		if (!(key in DEFAULT_RETRY)) throw new BitbucketInputError(`Unknown retry option "${key}"`, key);
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > LIMITS[key]) {
			throw new BitbucketInputError(`Retry option ${key} must be a number from 0 to ${LIMITS[key]}, got ${String(value)}`, key);
		}
		if (key === 'maxRetries' && !Number.isInteger(value)) {
			throw new BitbucketInputError(`Retry option maxRetries must be a whole number, got ${value}`, key);
		}
		merged[key] = value;
	}
	return merged;
}

/** Exponential backoff with jitter: base · 2^retryIndex · (1 + jitter · random), capped at maxDelayMs. */
export function backoffDelay(baseMs: number, retryIndex: number, options: RetryOptions, random: () => number): number {
	const exponential = baseMs * 2 ** retryIndex;
	return Math.min(options.maxDelayMs, Math.round(exponential * (1 + options.jitter * random())));
}

/**
 * Retry-After as milliseconds: delta-seconds ("120") or an HTTP date. Undefined when absent or unreadable.
 * A date in the past means "now" (0).
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Methods that may be replayed after a 5xx or a lost response: repeating them has the same effect. */
export function isIdempotent(method: string): boolean {
	return method === 'GET' || method === 'PUT' || method === 'DELETE' || method === 'HEAD';
}

/** What happened on one attempt. */
export type AttemptOutcome =
	| { kind: 'status'; status: number; retryAfter?: string | string[] }
	/** No answer at all: the connection was refused, dropped or timed out. */
	| { kind: 'network' };

export interface AttemptState {
	method: string;
	/** 1 for the first attempt. */
	attempt: number;
	/** Milliseconds already spent waiting for this call. */
	waitedMs: number;
	/** Clock reading, for Retry-After dates. */
	now: number;
}

export type RetryReason = 'rateLimit' | 'serverError' | 'network';

export type RetryDecision =
	| { action: 'succeed' }
	| { action: 'retry'; reason: RetryReason; waitMs: number; retryAfter: boolean }
	/** Give up. `processed` is true when the request may have taken effect (a POST answered 5xx or dropped). */
	| { action: 'fail'; note?: string; processed?: boolean };

const NOT_REPLAYED = 'not retried because Bitbucket may have processed it: check before running it again';

export function formatMs(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const s = ms / 1000;
	return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}

/** The policy: one outcome in, one decision out. */
export function decideRetry(
	outcome: AttemptOutcome,
	state: AttemptState,
	options: RetryOptions,
	random: () => number,
): RetryDecision {
	const retriesLeft = state.attempt <= options.maxRetries;
	const idempotent = isIdempotent(state.method);

	if (outcome.kind === 'status' && outcome.status < 400) return { action: 'succeed' };

	if (outcome.kind === 'status' && outcome.status === 429) {
		const retryAfter = parseRetryAfter(outcome.retryAfter, state.now);
		const waitMs =
			retryAfter !== undefined
				? Math.min(retryAfter, options.maxDelayMs)
				: backoffDelay(options.rateLimitDelayMs, state.attempt - 1, options, random);
		if (!retriesLeft) {
			return {
				action: 'fail',
				note: `gave up after ${state.attempt} attempts (${formatMs(state.waitedMs)} waited); try again later or lower the request rate`,
			};
		}
		if (retryAfter !== undefined && retryAfter > options.maxDelayMs) {
			return { action: 'fail', note: `Bitbucket asks to wait ${formatMs(retryAfter)}, longer than the allowed ${formatMs(options.maxDelayMs)}` };
		}
		if (state.waitedMs + waitMs > options.maxTotalWaitMs) {
			return { action: 'fail', note: `waiting another ${formatMs(waitMs)} would exceed the total wait limit of ${formatMs(options.maxTotalWaitMs)}` };
		}
		return { action: 'retry', reason: 'rateLimit', waitMs, retryAfter: retryAfter !== undefined };
	}

	const serverError = outcome.kind === 'network' || outcome.status >= 500;
	if (!serverError) return { action: 'fail' };
	if (!idempotent) return { action: 'fail', note: NOT_REPLAYED, processed: true };
	const waitMs = backoffDelay(options.serverErrorDelayMs, state.attempt - 1, options, random);
	if (retriesLeft && state.waitedMs + waitMs <= options.maxTotalWaitMs) {
		return { action: 'retry', reason: outcome.kind === 'network' ? 'network' : 'serverError', waitMs, retryAfter: false };
	}
	return { action: 'fail', note: state.attempt > 1 ? `after ${state.attempt} attempts` : undefined };
}
