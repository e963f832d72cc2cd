/** Git history walks over the seeded DAG (parents), cached per repository until its commit count changes. */
import type { CommitRecord, FileChange, RepositoryRecord, SandboxState } from './model';

const cache = new WeakMap<RepositoryRecord, { size: number; sets: Map<string, Set<string>> }>();

/** Hashes reachable from `head` (inclusive), like `git rev-list head`. */
export function ancestry(state: SandboxState, repo: RepositoryRecord, head: CommitRecord): Set<string> {
	let entry = cache.get(repo);
	if (!entry || entry.size !== repo.commits.length) {
		entry = { size: repo.commits.length, sets: new Map() };
		cache.set(repo, entry);
	}
	const cached = entry.sets.get(head.hash);
	if (cached) return cached;
	const seen = new Set<string>();
	const stack = [head.hash];
	while (stack.length > 0) {
		const hash = stack.pop();
		if (hash === undefined || seen.has(hash)) continue;
		seen.add(hash);
		const commit = state.commit(repo, hash);
		if (commit) stack.push(...commit.parents);
	}
	entry.sets.set(head.hash, seen);
	return seen;
}

/** Commits on any of `include` but on none of `exclude`, newest first (`git log inc... ^exc...`). */
export function commitsBetween(state: SandboxState, repo: RepositoryRecord, include: CommitRecord[], exclude: CommitRecord[]): CommitRecord[] {
	const included = include.map((c) => ancestry(state, repo, c));
	const excluded = exclude.map((c) => ancestry(state, repo, c));
	return repo.commits.filter((c) => included.some((s) => s.has(c.hash)) && !excluded.some((s) => s.has(c.hash)));
}

export function touchesPath(commit: CommitRecord, path: string): boolean {
	const dir = path.endsWith('/') ? path : `${path}/`;
	return commit.files.some((f) => f.path === path || f.path.startsWith(dir) || f.old_path === path);
}

/** File changes of `from` relative to `to` (three-dot: the commits on from that are not on to), merged per path. */
export function changesBetween(state: SandboxState, repo: RepositoryRecord, from: CommitRecord, to: CommitRecord | undefined): FileChange[] {
	const commits = to ? commitsBetween(state, repo, [from], [to]) : [from];
	const byPath = new Map<string, FileChange>();
	for (const commit of [...commits].reverse()) {
		for (const change of commit.files) {
			const existing = byPath.get(change.path);
			if (existing) {
				existing.lines_added += change.lines_added;
				existing.lines_removed += change.lines_removed;
			} else {
				byPath.set(change.path, { ...change });
			}
		}
	}
	return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}
