/**
 * Entry of the def_integration_sync store for the node, scripts and tests.
 *
 * `openSyncStore(config)` returns a store sharing, within this process, one PostgreSQL pool per set of
 * connection settings and one SQLite handle per file. Cached stores live until `closeAllSyncStores()`;
 * an uncached store (`{ cache: false }`) is closed by its own `close()`.
 */
import { resolveStoreConfig, storeKey, type ResolvedStoreConfig, type SyncStoreConfig } from './config';
import { PostgresSyncStore } from './postgres';
import { SqliteSyncStore } from './sqlite';
import type { SyncStore } from './store';

export * from './config';
export * from './schema';
export * from './store';
export { PostgresSyncStore } from './postgres';
export { SqliteSyncStore } from './sqlite';

const cache = new Map<string, Promise<SyncStore>>();

async function create(resolved: ResolvedStoreConfig): Promise<SyncStore> {
	return resolved.engine === 'sqlite' ? await SqliteSyncStore.open(resolved) : await PostgresSyncStore.open(resolved);
}

/** A store whose close() does nothing: the cache owns it. */
function shared(store: SyncStore): SyncStore {
	return new Proxy(store, {
		get(target, property, receiver) {
			if (property === 'close') return async () => undefined;
			const value: unknown = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

const owners = new Map<string, SyncStore>();

export async function openSyncStore(config: SyncStoreConfig, options: { cache?: boolean } = {}): Promise<SyncStore> {
	const resolved = resolveStoreConfig(config);
	if (options.cache === false) return await create(resolved);
	const key = storeKey(resolved);
	let pending = cache.get(key);
	if (!pending) {
		pending = create(resolved).then((store) => {
			owners.set(key, store);
			return shared(store);
		});
		cache.set(key, pending);
		pending.catch(() => cache.delete(key));
	}
	return await pending;
}

/** Closes every cached store (their pools and file handles). For tests and process shutdown. */
export async function closeAllSyncStores(): Promise<void> {
	const pending = [...cache.values()];
	cache.clear();
	await Promise.allSettled(pending);
	const stores = [...owners.values()];
	owners.clear();
	await Promise.allSettled(stores.map((s) => s.close()));
}
