/**
 * Runs one task per input item, at most `width` at a time, taking items in order. The results keep the
 * items' order whatever order the tasks finish in.
 *
 * A task that rejects ends the run: no item is started after it, `onStop` is told (the node then refuses
 * further requests), the tasks in flight settle (their results are dropped), and the failure of the lowest item
 * index is thrown — not counting failures caused by that refusal. A task that handles its own failure (Continue
 * On Fail: it returns an error item) does not end the run.
 */
export interface PoolOptions {
	width: number;
	/** Called once, with the first failure, before the tasks in flight settle (to refuse their further requests). */
	onStop?: (error: unknown) => void;
	/** A failure caused by that refusal, not by the item itself: never the one reported. */
	isStopped?: (error: unknown) => boolean;
}

export async function runItemPool<R>(count: number, options: PoolOptions, task: (index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(count);
	const failures = new Map<number, unknown>();
	let next = 0;
	const worker = async (): Promise<void> => {
		while (failures.size === 0 && next < count) {
			const index = next++;
			await task(index).then(
				(result) => {
					results[index] = result;
				},
				(error: unknown) => {
					if (failures.size === 0) options.onStop?.(error);
					failures.set(index, error);
				},
			);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(options.width, count)) }, async () => await worker()));
	const own = [...failures.entries()].filter(([, error]) => !options.isStopped?.(error)).sort(([a], [b]) => a - b);
	if (own.length > 0) throw own[0][1];
	if (failures.size > 0) throw failures.values().next().value;
	return results;
}
