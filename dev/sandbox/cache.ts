/**
 * Caches that keep the sandbox's own work per request far below a millisecond with thousands of records:
 * filtered and sorted list results (dropped whenever the state changes), rendered views (revalidated per record
 * by a version string such as updated_on) and the JSON text of rendered views.
 */
import type { RouteContext } from './context';
import type { SandboxState } from './model';

/** How a kind of representation is cached: its name and what, in a record, changes it. */
export interface ViewKey<T> {
	kind: string;
	version: (record: T) => string;
}

interface ListCache {
	revision: number;
	lists: Map<string, readonly unknown[]>;
}

interface ViewCache {
	epoch: number;
	views: WeakMap<object, Map<string, { version: string; view: unknown }>>;
}

const MAX_LISTS = 200;
const listCaches = new WeakMap<SandboxState, ListCache>();
const viewCaches = new WeakMap<SandboxState, ViewCache>();

const PAGE_PARAMS = new Set(['page', 'pagelen', 'fields']);

/** A list depends on the path, the caller and every query parameter except page, pagelen and fields. */
export function memoList<T>(ctx: RouteContext, compute: () => readonly T[]): readonly T[] {
	let cache = listCaches.get(ctx.state);
	if (!cache || cache.revision !== ctx.state.revision) {
		cache = { revision: ctx.state.revision, lists: new Map() };
		listCaches.set(ctx.state, cache);
	}
	const query = ctx.query.entries.filter(([name]) => !PAGE_PARAMS.has(name)).map(([n, v]) => `${n}=${v}`).join('&');
	const key = `${ctx.principal.user.uuid}|${ctx.rawPath.replace(/\/$/, '')}?${query}`;
	const hit = cache.lists.get(key);
	if (hit) return hit as readonly T[];
	const list = compute();
	if (cache.lists.size >= MAX_LISTS) cache.lists.clear();
	cache.lists.set(key, list);
	return list;
}

/** The rendered view of a record, reused while the record's version is unchanged. */
export function memoView<T extends object, V>(state: SandboxState, record: T, key: ViewKey<T>, build: () => V): V {
	let cache = viewCaches.get(state);
	if (!cache || cache.epoch !== state.viewEpoch) {
		cache = { epoch: state.viewEpoch, views: new WeakMap() };
		viewCaches.set(state, cache);
	}
	let perRecord = cache.views.get(record);
	if (!perRecord) {
		perRecord = new Map();
		cache.views.set(record, perRecord);
	}
	const version = key.version(record);
	const hit = perRecord.get(key.kind);
	if (hit && hit.version === version) return hit.view as V;
	const view = build();
	perRecord.set(key.kind, { version, view });
	return view;
}

const jsonText = new WeakMap<object, Map<string, string>>();

/** JSON text of a view with some top-level keys left out; cached per view object (views are never mutated). */
export function viewJson(view: unknown, omitKeys: readonly string[]): string {
	if (view === null || typeof view !== 'object' || Array.isArray(view)) return JSON.stringify(view);
	const signature = omitKeys.join(',');
	let perView = jsonText.get(view);
	const hit = perView?.get(signature);
	if (hit !== undefined) return hit;
	let source: object = view;
	if (omitKeys.length > 0) {
		const copy: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(view)) if (!omitKeys.includes(key)) copy[key] = value;
		source = copy;
	}
	const text = JSON.stringify(source);
	if (!perView) {
		perView = new Map();
		jsonText.set(view, perView);
	}
	perView.set(signature, text);
	return text;
}
