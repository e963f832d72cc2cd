/**
 * The one gate every HTTP attempt of an execution passes, shared by the per-item pool and the page pool:
 *  - it bounds how many requests are in flight at once (Parallel Requests);
 *  - when any request gets a 429, every request waits out the same pause before its next attempt, so
 *    concurrency does not multiply the storm; a 429 for a request sent before that pause began is part of the
 *    same storm: it waits with the others and does not count as another retry (see RequestLayer.request);
 *  - when Bitbucket says `X-RateLimit-NearLimit: true`, the bound is halved for the rest of the execution.
 * No timers of its own: it waits with the sleep it is given (n8n's `sleep` in the node).
 */
import { BitbucketInputError } from './errors';

export const MAX_CONCURRENCY = 16;

/** What a request gets once its gate is closed: never shown to a user (the failure that closed it is). */
export class RequestsStoppedError extends Error {
	constructor() {
		super('Requests stopped: another item of this execution failed');
		this.name = 'RequestsStoppedError';
	}
}

export interface GateOptions {
	/** Requests in flight at once; 1 = strictly one after another. */
	concurrency: number;
	sleep: (ms: number) => Promise<void>;
	now?: () => number;
}

/** A slot held for one attempt: `release` once the answer (or the failure) is in. */
export interface GateSlot {
	/** The gate's pause epoch when the attempt was sent. */
	epoch: number;
	/** How long this attempt waited for a rate-limit pause before it was sent. */
	pausedMs: number;
	release(): void;
}

export function checkConcurrency(value: unknown, field = 'concurrency', label = 'Parallel Requests'): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
		throw new BitbucketInputError(`${label} must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(value)}`, field);
	}
	return value;
}

export class RequestGate {
	private bound: number;

	private active = 0;

	private readonly queue: Array<() => void> = [];

	private pausedUntil = 0;

	/** Incremented by every new pause. */
	private pauses = 0;

	private halved = false;

	private closedBy: RequestsStoppedError | undefined;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly now: () => number;

	constructor(options: GateOptions) {
		this.bound = checkConcurrency(options.concurrency);
		this.sleep = options.sleep;
		this.now = options.now ?? Date.now;
	}

	/** The bound in force now (halved after a NearLimit signal). */
	get concurrency(): number {
		return this.bound;
	}

	get epoch(): number {
		return this.pauses;
	}

	/** Whether a NearLimit signal halved the bound. */
	get nearLimit(): boolean {
		return this.halved;
	}

	/** Waits for a free slot, then for any rate-limit pause to end. Fails once the gate is closed. */
	async enter(): Promise<GateSlot> {
		if (this.closedBy) throw this.closedBy;
		if (this.active >= this.bound) await new Promise<void>((resolve) => this.queue.push(resolve));
		else this.active++;
		if (this.closedBy) {
			this.leave();
			throw this.closedBy;
		}
		let pausedMs = 0;
		// Sleep out the pause in force; again only if another 429 stretched it meanwhile (a sleep that returns
		// early, as a test's does, is not slept again).
		for (let until = 0; this.pausedUntil > until; ) {
			until = this.pausedUntil;
			const wait = until - this.now();
			if (wait <= 0) break;
			await this.sleep(wait);
			pausedMs += wait;
			if (this.closedBy) {
				this.leave();
				throw this.closedBy;
			}
		}
		let released = false;
		return {
			epoch: this.pauses,
			pausedMs,
			release: () => {
				if (released) return;
				released = true;
				this.leave();
			},
		};
	}

	/** Every request waits `ms` from now before its next attempt (a longer pause already in force stands). */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
		this.pauses++;
	}

	/**
	 * No request is sent through this gate any more (an item failed and the node stops): waiting and later
	 * attempts fail with a RequestsStoppedError; requests already sent finish.
	 */
	close(): void {
		this.closedBy ??= new RequestsStoppedError();
		for (const wake of this.queue.splice(0)) {
			this.active++;
			wake();
		}
	}

	/** Bitbucket said the limit is near: half the requests in flight from now on (once, never below 1). */
	slowDown(): void {
		if (this.halved) return;
		this.halved = true;
		this.bound = Math.max(1, Math.floor(this.bound / 2));
	}

	private leave(): void {
		// A slot passes straight to the next waiter while the bound allows it; a halved bound drains first.
		if (this.active <= this.bound && this.queue.length > 0) {
			this.queue.shift()?.();
			return;
		}
		this.active--;
	}
}
