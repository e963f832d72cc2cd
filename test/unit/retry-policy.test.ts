/**
 * The retry policy on its own: one outcome of one attempt in, one decision out. No HTTP, no clock, no timers;
 * the request-layer tests check the same rules end to end against the sandbox.
 */
import { BitbucketInputError } from '../../nodes/shared/bitbucket/errors';
import {
	DEFAULT_RETRY,
	backoffDelay,
	decideRetry,
	isIdempotent,
	parseRetryAfter,
	resolveRetryOptions,
	type AttemptOutcome,
	type RetryDecision,
	type RetryOptions,
} from '../../nodes/shared/bitbucket/retry';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const options: RetryOptions = { ...DEFAULT_RETRY, jitter: 0 };
const noJitter = () => 0;

const status = (code: number, retryAfter?: string): AttemptOutcome => ({ kind: 'status', status: code, retryAfter });
const network: AttemptOutcome = { kind: 'network' };

type Row = [string, AttemptOutcome, { method?: string; attempt?: number; waitedMs?: number; options?: Partial<RetryOptions> }, RetryDecision];

const table: Row[] = [
	['2xx succeeds', status(200), {}, { action: 'succeed' }],
	['3xx without a followed Location succeeds (304)', status(304), {}, { action: 'succeed' }],
	['404 fails at once, no note', status(404), {}, { action: 'fail' }],
	['400 on a POST fails at once', status(400), { method: 'POST' }, { action: 'fail' }],

	// 429: any method, Retry-After when sent, else 60 s doubling
	['429 without Retry-After: first wait 60 s', status(429), {}, { action: 'retry', reason: 'rateLimit', waitMs: 60_000, retryAfter: false }],
	['429 without Retry-After, third attempt: 240 s', status(429), { attempt: 3, waitedMs: 180_000 }, { action: 'retry', reason: 'rateLimit', waitMs: 240_000, retryAfter: false }],
	['429 on a POST is retried (not processed)', status(429), { method: 'POST' }, { action: 'retry', reason: 'rateLimit', waitMs: 60_000, retryAfter: false }],
	['429 with Retry-After seconds', status(429, '7'), {}, { action: 'retry', reason: 'rateLimit', waitMs: 7_000, retryAfter: true }],
	['429 with Retry-After as an HTTP date', status(429, new Date(NOW + 42_000).toUTCString()), {}, { action: 'retry', reason: 'rateLimit', waitMs: 42_000, retryAfter: true }],
	['429 with a Retry-After date in the past: retry now', status(429, new Date(NOW - 5_000).toUTCString()), {}, { action: 'retry', reason: 'rateLimit', waitMs: 0, retryAfter: true }],
	['429 with unreadable Retry-After falls back to backoff', status(429, 'soon'), {}, { action: 'retry', reason: 'rateLimit', waitMs: 60_000, retryAfter: false }],
	[
		'429 asking longer than the longest wait',
		status(429, '3600'),
		{},
		{ action: 'fail', note: 'Bitbucket asks to wait 60 min, longer than the allowed 5 min' },
	],
	[
		'429 when the retries are used up',
		status(429),
		{ attempt: 4, waitedMs: 420_000 },
		{ action: 'fail', note: 'gave up after 4 attempts (7 min waited); try again later or lower the request rate' },
	],
	[
		'429 when the next wait would pass the total bound',
		status(429),
		{ attempt: 3, waitedMs: 500_000 },
		{ action: 'fail', note: 'waiting another 4 min would exceed the total wait limit of 10 min' },
	],

	// 5xx and lost answers: idempotent methods only
	['503 on a GET: 1 s', status(503), {}, { action: 'retry', reason: 'serverError', waitMs: 1_000, retryAfter: false }],
	['555 on a PUT, second attempt: 2 s', status(555), { method: 'PUT', attempt: 2, waitedMs: 1_000 }, { action: 'retry', reason: 'serverError', waitMs: 2_000, retryAfter: false }],
	['502 on a DELETE is retried', status(502), { method: 'DELETE' }, { action: 'retry', reason: 'serverError', waitMs: 1_000, retryAfter: false }],
	[
		'500 on a POST is never replayed',
		status(500),
		{ method: 'POST' },
		{ action: 'fail', note: 'not retried because Bitbucket may have processed it: check before running it again', processed: true },
	],
	['a lost answer on a GET is retried', network, {}, { action: 'retry', reason: 'network', waitMs: 1_000, retryAfter: false }],
	[
		'a lost answer on a POST is never replayed',
		network,
		{ method: 'POST' },
		{ action: 'fail', note: 'not retried because Bitbucket may have processed it: check before running it again', processed: true },
	],
	['a lost answer on a PATCH is never replayed (not idempotent)', network, { method: 'PATCH' }, expect.objectContaining({ action: 'fail', processed: true }) as RetryDecision],
	['5xx when the retries are used up says how many attempts', status(502), { attempt: 4 }, { action: 'fail', note: 'after 4 attempts' }],
	['5xx on the only attempt allowed: no note', status(502), { options: { maxRetries: 0 } }, { action: 'fail', note: undefined }],
	['5xx whose backoff would pass the total bound', status(500), { attempt: 2, waitedMs: 599_500 }, { action: 'fail', note: 'after 2 attempts' }],
	['Max Retries 0 turns a 429 into an immediate failure', status(429), { options: { maxRetries: 0 } }, expect.objectContaining({ action: 'fail' }) as RetryDecision],
];

describe('decideRetry', () => {
	it.each(table)('%s', (_name, outcome, state, expected) => {
		const decision = decideRetry(
			outcome,
			{ method: state.method ?? 'GET', attempt: state.attempt ?? 1, waitedMs: state.waitedMs ?? 0, now: NOW },
			{ ...options, ...state.options },
			noJitter,
		);
		expect(decision).toEqual(expected);
	});

	it('adds jitter of at most the configured fraction, never less than the base wait', () => {
		const withJitter = { ...DEFAULT_RETRY, jitter: 0.25 };
		const low = decideRetry(status(429), { method: 'GET', attempt: 1, waitedMs: 0, now: NOW }, withJitter, () => 0);
		const high = decideRetry(status(429), { method: 'GET', attempt: 1, waitedMs: 0, now: NOW }, withJitter, () => 0.999);
		expect(low).toMatchObject({ action: 'retry', waitMs: 60_000 });
		expect(high).toMatchObject({ action: 'retry', waitMs: 74_985 });
	});
});

describe('the parts of the policy', () => {
	it.each([
		['120', 120_000],
		['0', 0],
		['1.5', 1_500],
		[' 30 ', 30_000],
		['Tue, 01 Dec 2026 12:01:00 GMT', 60_000],
		['not a date', undefined],
		[undefined, undefined],
	])('Retry-After %p → %p ms', (header, expected) => {
		expect(parseRetryAfter(header, NOW)).toBe(expected);
	});

	it('backoff doubles and is capped at the longest single wait', () => {
		expect([0, 1, 2, 3, 4, 5].map((i) => backoffDelay(60_000, i, options, noJitter))).toEqual([60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
	});

	it.each([
		['GET', true],
		['PUT', true],
		['DELETE', true],
		['HEAD', true],
		['POST', false],
		['PATCH', false],
	])('%s is idempotent: %p', (method, expected) => {
		expect(isIdempotent(method)).toBe(expected);
	});

	it.each([
		[{ maxRetries: -1 }, 'maxRetries'],
		[{ maxRetries: 1.5 }, 'maxRetries'],
		[{ rateLimitDelayMs: Number.NaN }, 'rateLimitDelayMs'],
		[{ maxTotalWaitMs: Number.POSITIVE_INFINITY }, 'maxTotalWaitMs'],
		[{ jitter: 2 }, 'jitter'],
	])('refuses %p naming the option', (partial, field) => {
		const error = (() => {
			try {
				resolveRetryOptions(partial as Partial<RetryOptions>);
			} catch (e) {
				return e;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(BitbucketInputError);
		expect((error as BitbucketInputError).field).toBe(field);
	});

	it('fills the defaults around what is given', () => {
		expect(resolveRetryOptions({ maxRetries: 5 })).toEqual({ ...DEFAULT_RETRY, maxRetries: 5 });
	});
});
