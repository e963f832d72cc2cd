/** Every seeded timestamp is derived from this instant, so the data is the same on every run. */
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

const MINUTE = 60_000;

/** Bitbucket renders timestamps with microseconds and an explicit offset: 2026-01-01T00:00:00.000000+00:00 */
export function isoTimestamp(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '000+00:00');
}

export function seedTime(minutesAfterEpoch: number): string {
	return isoTimestamp(SEED_EPOCH_MS + Math.round(minutesAfterEpoch * MINUTE));
}

/**
 * Timestamps for objects created or changed through the API: the wall clock, but never earlier than
 * (or equal to) the last one handed out, so `updated_on > <last sync>` always sees fresh changes.
 */
export class MonotonicClock {
	private last: number;

	constructor(notBefore: number) {
		this.last = notBefore;
	}

	nowMs(): number {
		this.last = Math.max(Date.now(), this.last + 1);
		return this.last;
	}

	now(): string {
		return isoTimestamp(this.nowMs());
	}
}
