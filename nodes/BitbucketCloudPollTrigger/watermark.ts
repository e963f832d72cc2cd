/**
 * Exactly-once emission for collections that carry an `updated_on` and answer BBQL (pull requests, issues).
 *
 * The state is a watermark (the newest `updated_on` emitted) plus the ids already emitted AT that exact timestamp.
 * Each poll asks for `updated_on >= watermark` sorted by `updated_on`: the objects at the watermark come back, the
 * ones already emitted there are dropped, everything newer is new. Equal timestamps at the boundary (several
 * objects updated in one transaction, or one updated just after a poll read the others) are therefore neither
 * lost nor emitted twice; an object updated again gets a newer timestamp and is emitted again, as it should be.
 */

export interface WatermarkState {
	watermark?: string;
	atWatermark?: Array<string | number>;
}

export interface Stamped {
	id: string | number;
	updatedOn: string;
}

/** The BBQL condition of the next poll (timestamps are unquoted ISO-8601 in BBQL). */
export function sinceQuery(state: WatermarkState): string {
	if (!state.watermark) throw new Error('The poll has no watermark yet');
	if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(state.watermark)) throw new Error(`Stored watermark "${state.watermark}" is not an ISO timestamp`);
	return `updated_on >= ${state.watermark}`;
}

function time(text: string): number {
	return Date.parse(text);
}

/**
 * Given what `updated_on >= watermark` returned (any order), the objects to emit (oldest first) and the state after
 * emitting them.
 */
export function advance<T>(state: WatermarkState, fetched: readonly T[], stamp: (item: T) => Stamped): { emit: T[]; next: WatermarkState } {
	const seen = new Set((state.atWatermark ?? []).map(String));
	const watermark = state.watermark ?? '';
	const fresh = fetched
		.map((item) => ({ item, ...stamp(item) }))
		.filter((entry) => !(time(entry.updatedOn) === time(watermark) && seen.has(String(entry.id))))
		.sort((a, b) => time(a.updatedOn) - time(b.updatedOn));
	if (fresh.length === 0) return { emit: [], next: state };
	const newest = fresh[fresh.length - 1].updatedOn;
	const atNewest = fresh.filter((entry) => time(entry.updatedOn) === time(newest)).map((entry) => entry.id);
	const atWatermark = time(newest) === time(watermark) ? [...(state.atWatermark ?? []), ...atNewest] : atNewest;
	return { emit: fresh.map((entry) => entry.item), next: { watermark: newest, atWatermark: [...new Set(atWatermark)] } };
}

/** The state after a first activation: the newest object's timestamp, with every object at that timestamp. */
export function initialState<T>(newestFirst: readonly T[], stamp: (item: T) => Stamped): WatermarkState {
	if (newestFirst.length === 0) return { watermark: '1970-01-01T00:00:00Z', atWatermark: [] };
	const newest = stamp(newestFirst[0]).updatedOn;
	return { watermark: newest, atWatermark: newestFirst.map(stamp).filter((s) => time(s.updatedOn) === time(newest)).map((s) => s.id) };
}
