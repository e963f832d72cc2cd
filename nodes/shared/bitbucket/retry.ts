/**
 * When to retry and how long to wait. Bitbucket's 429 usually comes with no Retry-After, and retrying fast makes
 * the rate limit worse, so the default first wait is a full minute, doubling, with jitter so parallel workers
 * do not come back at the same instant.
 */

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

export function resolveRetryOptions(partial: Partial<RetryOptions> | undefined): RetryOptions {
	const merged = { ...DEFAULT_RETRY };
	for (const [key, value] of Object.entries(partial ?? {}) as Array<[keyof RetryOptions, number | undefined]>) {
		if (value === undefined) continue;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new RangeError(`Retry option ${key} must be a number ≥ 0, got ${String(value)}`);
		}
		merged[key] = value;
	}
	merged.maxRetries = Math.floor(merged.maxRetries);
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
	return method === 'GET' || method === 'PUT' || method === 'DELETE';
}
