import { json, type RouteContext, type RouteDefinition } from '../context';
import { ApiError } from '../errors';
import { changesBetween } from '../history';
import { href } from '../links';
import type { CommitRecord, FileChange, RepositoryRecord } from '../model';
import { paginate } from '../pagination';
import type { Json } from '../views';
import { R, repositoryOf, SCOPES } from './common';

/** `a..b` (changes of a against its merge base with b) or a single commit (against its first parent). */
function resolveSpec(ctx: RouteContext, repo: RepositoryRecord): { from: CommitRecord; to: CommitRecord | undefined } {
	const spec = ctx.params['spec'];
	const [fromName, toName] = spec.includes('..') ? spec.split('..', 2) : [spec, undefined];
	const from = ctx.state.resolveRevision(repo, fromName);
	const to = toName === undefined ? undefined : ctx.state.resolveRevision(repo, toName);
	if (!from || (toName !== undefined && !to)) throw new ApiError(404, `Revision ${spec} not found`);
	return { from, to };
}

function fileView(ctx: RouteContext, repo: RepositoryRecord, commit: CommitRecord, path: string): Json {
	return {
		path,
		escaped_path: path,
		type: 'commit_file',
		links: { self: href(`${ctx.links.repoApi(repo, 'src', commit.hash)}/${path.split('/').map(encodeURIComponent).join('/')}`) },
	};
}

function diffstatView(ctx: RouteContext, repo: RepositoryRecord, from: CommitRecord, to: CommitRecord | undefined, change: FileChange): Json {
	const base = to ?? from;
	return {
		type: 'diffstat',
		status: change.status,
		lines_added: change.lines_added,
		lines_removed: change.lines_removed,
		old: change.status === 'added' ? null : fileView(ctx, repo, base, change.old_path ?? change.path),
		new: change.status === 'removed' ? null : fileView(ctx, repo, from, change.path),
	};
}

export function unifiedDiff(changes: FileChange[]): string {
	return changes
		.map((c) => {
			const header = `diff --git a/${c.path} b/${c.path}\n--- ${c.status === 'added' ? '/dev/null' : `a/${c.path}`}\n+++ b/${c.path}\n`;
			const removed = Array.from({ length: Math.min(c.lines_removed, 3) }, (_, i) => `-old line ${i + 1}`);
			const added = Array.from({ length: Math.min(c.lines_added, 3) }, (_, i) => `+new line ${i + 1}`);
			return `${header}@@ -1,${c.lines_removed} +1,${c.lines_added} @@\n${[...removed, ...added].join('\n')}\n`;
		})
		.join('');
}

export const diffRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/diffstat/:spec`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const { from, to } = resolveSpec(ctx, repo);
			const changes = changesBetween(ctx.state, repo, from, to);
			// Diffstat pages default to 500 entries and allow up to 5000.
			return json(200, paginate(ctx, changes, (c) => diffstatView(ctx, repo, from, to, c), { defaultPagelen: 500, maxPagelen: 5000 }));
		},
	},
	{
		method: 'GET',
		path: `${R}/diff/:spec`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const { from, to } = resolveSpec(ctx, repo);
			return { status: 200, text: unifiedDiff(changesBetween(ctx.state, repo, from, to)), contentType: 'text/plain; charset=utf-8' };
		},
	},
];
