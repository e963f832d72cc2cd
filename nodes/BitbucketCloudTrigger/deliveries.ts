/**
 * Redeliveries: Bitbucket sends a delivery again (same X-Request-UUID, X-Attempt-Number 2 or 3) after a 5xx or a
 * 10 s timeout, and a user can resend one by hand. Each request UUID starts at most one execution.
 *
 * The UUIDs seen are kept twice:
 *  - in this process's memory, which catches a redelivery at once, even one that arrives while the first
 *    delivery is still running;
 *  - in the node's static data, which n8n stores in its database after each delivery, so a redelivery is still
 *    recognised after a restart or by another main/webhook process that shares the database.
 * Both windows are bounded (the newest 500 UUIDs, 24 hours).
 */

export const DEDUPE_WINDOW_MS = 24 * 3_600_000;
export const DEDUPE_MAX = 500;

export type SeenRequests = Record<string, number>;

/** `{0a1b…}` and `0A1B…` are the same UUID: braces and case do not matter. */
export function normalizeUuid(value: string | string[] | undefined): string {
	const text = Array.isArray(value) ? value[0] : value;
	return (text ?? '').trim().replace(/^\{|\}$/g, '').toLowerCase();
}

/** The newest entries within the window. */
export function pruned(seen: SeenRequests, now: number): SeenRequests {
	return Object.fromEntries(
		Object.entries(seen)
			.filter(([, at]) => now - at < DEDUPE_WINDOW_MS)
			.sort((a, b) => b[1] - a[1])
			.slice(0, DEDUPE_MAX),
	);
}

const memory = new Map<string, Map<string, number>>();

/**
 * Whether this request UUID was seen already (in memory or in the stored list); records it either way.
 * Returns the stored list to write back.
 */
export function checkAndRecord(
	scope: string,
	requestUuid: string,
	stored: SeenRequests | undefined,
	now: number,
): { duplicate: boolean; stored: SeenRequests } {
	let local = memory.get(scope);
	if (!local) memory.set(scope, (local = new Map()));
	const duplicate = local.has(requestUuid) || (stored?.[requestUuid] !== undefined && now - stored[requestUuid] < DEDUPE_WINDOW_MS);
	local.set(requestUuid, now);
	if (local.size > DEDUPE_MAX) {
		for (const [uuid, at] of local) if (local.size > DEDUPE_MAX || now - at >= DEDUPE_WINDOW_MS) local.delete(uuid);
	}
	return { duplicate, stored: pruned({ ...stored, [requestUuid]: stored?.[requestUuid] ?? now }, now) };
}

/** Forgets a scope (the trigger was deactivated). */
export function forget(scope: string): void {
	memory.delete(scope);
}
