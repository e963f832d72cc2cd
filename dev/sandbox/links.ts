import type { RepositoryRecord } from './model';

export interface Href {
	href: string;
	name?: string;
}

const byOrigin = new Map<string, Links>();

/**
 * Builds Bitbucket's hypermedia links: API links on the sandbox origin, html links on bitbucket.org.
 * One instance per origin; it also caches small shared views (accounts, repository refs) per record.
 */
export class Links {
	private readonly repoBases = new WeakMap<RepositoryRecord, string>();
	readonly shared = new WeakMap<object, Map<string, unknown>>();

	private constructor(readonly origin: string) {}

	static for(origin: string): Links {
		let links = byOrigin.get(origin);
		if (!links) {
			links = new Links(origin);
			byOrigin.set(origin, links);
		}
		return links;
	}

	/** A view of `record` shared by every response (records it depends on never change through the API). */
	memo<V>(record: object, kind: string, build: () => V): V {
		let perRecord = this.shared.get(record);
		if (!perRecord) {
			perRecord = new Map();
			this.shared.set(record, perRecord);
		}
		if (perRecord.has(kind)) return perRecord.get(kind) as V;
		const view = build();
		perRecord.set(kind, view);
		return view;
	}

	api(...segments: Array<string | number>): string {
		return `${this.origin}/2.0/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
	}

	repoApi(repo: RepositoryRecord, ...segments: Array<string | number>): string {
		let base = this.repoBases.get(repo);
		if (base === undefined) {
			base = this.api('repositories', repo.workspace.slug, repo.slug);
			this.repoBases.set(repo, base);
		}
		return segments.length === 0 ? base : `${base}/${segments.map((s) => (typeof s === 'number' ? String(s) : encodeURIComponent(s))).join('/')}`;
	}

	html(...segments: Array<string | number>): string {
		return `https://bitbucket.org/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
	}

	repoHtml(repo: RepositoryRecord, ...segments: Array<string | number>): string {
		return this.html(repo.workspace.slug, repo.slug, ...segments);
	}
}

export const href = (url: string): Href => ({ href: url });
