/**
 * Bitbucket pagination: `{ pagelen, size?, page?, values, next?, previous? }`. `next` is an absolute URL that
 * carries the original query (q, sort, state, fields, pagelen, ...) plus the `page` to fetch. The last page has
 * no `next`. Two kinds, as on the live service:
 *  - page-numbered lists (pull requests, repositories, pipelines, issues, deployments, comments, ...) answer with
 *    `size` and `page`, and `next` carries `page=N+1`. A page past the end answers 400 "Invalid page";
 *  - cursor lists (filtered branch and tag lists, pull-request activity) carry an opaque, signed `page` cursor
 *    and no `page` number; commits use the hash of the next page's first commit (paginateByHash).
 */
import { createHmac } from 'node:crypto';
import type { RouteContext } from './context';
import { memoView, type ViewKey } from './cache';
import { badRequest } from './errors';

export interface PageLimits {
	/** Default 10. */
	defaultPagelen?: number;
	/** Default 100; pull-request lists allow 50, diffstat 5000. Above it: 400 "Invalid pagelen". */
	maxPagelen?: number;
	/** `number` (default): `page=N` links with `size` and `page`; `opaque`: a signed cursor, no page number. */
	pages?: 'number' | 'opaque';
}

export interface CachedPageLimits<T extends object> extends PageLimits {
	/** Reuse rendered items while their version is unchanged. */
	cacheAs?: ViewKey<T>;
	/**
	 * Query parameters the `next` and `previous` links leave out. Live Bitbucket's pipelines list drops `sort` and
	 * `fields` from its `next` links (a community report): a client must put them back on every page.
	 */
	dropFromLinks?: readonly string[];
}

function renderer<T extends object>(ctx: RouteContext, render: (item: T) => unknown, cacheAs: ViewKey<T> | undefined): (item: T) => unknown {
	if (!cacheAs) return render;
	return (item) => memoView(ctx.state, item, cacheAs, () => render(item));
}

export interface Envelope {
	pagelen: number;
	size?: number;
	page?: number;
	values: unknown[];
	next?: string;
	previous?: string;
}

const CURSOR_KEY = 'bitbucket-sandbox-cursor';

function mac(path: string, offset: number): string {
	return createHmac('sha256', CURSOR_KEY).update(`${path}\n${offset}`).digest('base64url').slice(0, 12);
}

/** The collection path a cursor is bound to: the raw path without a trailing slash. */
function collectionPath(ctx: RouteContext): string {
	return ctx.rawPath.endsWith('/') ? ctx.rawPath.slice(0, -1) : ctx.rawPath;
}

export function encodeCursor(path: string, offset: number): string {
	return Buffer.from(`${offset}:${mac(path, offset)}`).toString('base64url');
}

/** Offset for the `page` parameter. Only cursors this sandbox issued are accepted (and `page=1`, the first page). */
export function decodeCursor(path: string, page: string | undefined): number {
	if (page === undefined || page === '1') return 0;
	const decoded = Buffer.from(page, 'base64url').toString('utf8');
	const match = /^(\d+):([A-Za-z0-9_-]{12})$/.exec(decoded);
	if (!match || mac(path, Number(match[1])) !== match[2]) throw badRequest('Invalid page');
	return Number(match[1]);
}

export function pagelenOf(ctx: RouteContext, limits: PageLimits = {}): number {
	const raw = ctx.query.get('pagelen');
	const max = limits.maxPagelen ?? 100;
	if (raw === undefined) return Math.min(limits.defaultPagelen ?? 10, max);
	if (!/^\d+$/.test(raw)) throw badRequest('Invalid pagelen');
	const pagelen = Number(raw);
	if (pagelen < 1 || pagelen > max) throw badRequest('Invalid pagelen', { detail: `pagelen must be between 1 and ${max}` });
	return pagelen;
}

function linkWith(ctx: RouteContext, page: string | undefined, drop: readonly string[] = []): string {
	const params = new URLSearchParams(ctx.query.with('page', page));
	for (const name of drop) params.delete(name);
	const query = params.toString();
	return `${ctx.links.origin}${ctx.rawPath}${query ? `?${query}` : ''}`;
}

/** The offset a numbered `page` stands for: a positive whole number, and not past the end (except page 1). */
function numberedOffset(page: string | undefined, pagelen: number, total: number): number {
	if (page === undefined) return 0;
	if (!/^\d+$/.test(page) || Number(page) < 1) throw badRequest('Invalid page');
	const offset = (Number(page) - 1) * pagelen;
	if (offset > 0 && offset >= total) throw badRequest('Invalid page');
	return offset;
}

/** List pagination (page numbers, or opaque cursors with `pages: 'opaque'`). `render` runs only on the items of the page. */
export function paginate<T extends object>(ctx: RouteContext, items: readonly T[], render: (item: T) => unknown, limits: CachedPageLimits<T> = {}): Envelope {
	const pagelen = pagelenOf(ctx, limits);
	const path = collectionPath(ctx);
	const numbered = limits.pages !== 'opaque';
	const offset = numbered ? numberedOffset(ctx.query.get('page'), pagelen, items.length) : decodeCursor(path, ctx.query.get('page'));
	const slice = items.slice(offset, offset + pagelen);
	const link = (at: number) => (numbered ? String(Math.floor(at / pagelen) + 1) : encodeCursor(path, at));
	const envelope: Envelope = { pagelen, size: items.length, values: slice.map(renderer(ctx, render, limits.cacheAs)) };
	if (numbered) envelope.page = Math.floor(offset / pagelen) + 1;
	if (offset + pagelen < items.length) envelope.next = linkWith(ctx, link(offset + pagelen), limits.dropFromLinks);
	if (offset > 0) {
		const previous = Math.max(0, offset - pagelen);
		envelope.previous = linkWith(ctx, previous === 0 ? undefined : link(previous), limits.dropFromLinks);
	}
	return envelope;
}

/**
 * Iterator-based pagination as on the commits resource: the cursor is the hash of the first commit of the next
 * page; there is no `size`, `page` or `previous`.
 */
export function paginateByHash<T extends { hash: string }>(
	ctx: RouteContext,
	items: readonly T[],
	render: (item: T) => unknown,
	limits: CachedPageLimits<T> = {},
): Envelope {
	const pagelen = pagelenOf(ctx, limits);
	const page = ctx.query.get('page');
	let offset = 0;
	if (page !== undefined) {
		offset = /^[0-9a-f]{40}$/.test(page) ? items.findIndex((c) => c.hash === page) : -1;
		if (offset < 0) throw badRequest('Invalid page');
	}
	const slice = items.slice(offset, offset + pagelen);
	const envelope: Envelope = { pagelen, values: slice.map(renderer(ctx, render, limits.cacheAs)) };
	const nextItem = items[offset + pagelen];
	if (nextItem) envelope.next = linkWith(ctx, nextItem.hash);
	return envelope;
}
