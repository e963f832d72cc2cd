/**
 * Repository files, as `/repositories/{ws}/{repo}/src` serves them:
 *  - GET `src` redirects to the root listing of the main branch;
 *  - GET `src/{commit}/{path}`: a file's bytes (Content-Type from the extension, no charset), its meta data with
 *    `format=meta`, or a directory listing (paginated with an opaque cursor; `max_depth` recurses);
 *  - POST `src` with multipart/form-data makes one commit: file parts (a part with a file name, or a field named
 *    like a path) add or replace files, `files` names files to delete, and `message`, `author`, `parents` and
 *    `branch` are form fields. As on the live service, those given in the query string are ignored (the commit
 *    then lands on the main branch). An existing branch with a `parents` that is not its head answers 409.
 */
import { createHash } from 'node:crypto';

import { json, type ApiResult, type FormPart, type RouteContext, type RouteDefinition } from '../context';
import { ApiError, badRequest, invalidFields, notFound } from '../errors';
import { href, type Links } from '../links';
import type { CommitRecord, FileChange, FileEntry, FileTree, RepositoryRecord } from '../model';
import { paginate } from '../pagination';
import { commitRefView, type Json } from '../views';
import { R, repositoryOf, SCOPES } from './common';
import { validRefName } from './refs';

const META_FIELDS = new Set(['message', 'author', 'parents', 'branch', 'files']);

const MIME_TYPES: Record<string, string> = {
	md: 'text/markdown',
	txt: 'text/plain',
	json: 'application/json',
	yml: 'text/x-yaml',
	yaml: 'text/x-yaml',
	ts: 'text/x-typescript',
	js: 'application/javascript',
	sh: 'text/x-sh',
	env: 'text/plain',
	png: 'image/png',
	jpg: 'image/jpeg',
	pdf: 'application/pdf',
	zip: 'application/zip',
};

export function mimeTypeOf(path: string): string {
	const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
	return MIME_TYPES[extension] ?? 'application/octet-stream';
}

function commitOf(ctx: RouteContext, repo: RepositoryRecord, revision: string): CommitRecord {
	const commit = ctx.state.resolveRevision(repo, revision);
	if (!commit) throw notFound(`Commit not found: ${revision}`);
	return commit;
}

function isDirectory(tree: FileTree, path: string): boolean {
	if (path === '') return true;
	const prefix = `${path}/`;
	for (const key of tree.keys()) if (key.startsWith(prefix)) return true;
	return false;
}

function srcLinks(links: Links, repo: RepositoryRecord, commit: CommitRecord, path: string, directory: boolean): Json {
	const self = `${links.repoApi(repo, 'src', commit.hash)}/${path.split('/').map(encodeURIComponent).join('/')}${directory && path ? '/' : ''}`;
	return { self: href(self), meta: href(`${self}?format=meta`), history: href(`${links.repoApi(repo, 'filehistory', commit.hash)}/${path}`) };
}

function fileView(links: Links, repo: RepositoryRecord, commit: CommitRecord, path: string, file: FileEntry): Json {
	return {
		type: 'commit_file',
		path,
		escaped_path: path,
		commit: commitRefView(links, repo, commit.hash),
		attributes: file.attributes,
		size: file.content.length,
		mimetype: file.attributes.includes('binary') ? null : mimeTypeOf(path),
		links: srcLinks(links, repo, commit, path, false),
	};
}

function directoryView(links: Links, repo: RepositoryRecord, commit: CommitRecord, path: string): Json {
	return { type: 'commit_directory', path, escaped_path: path, commit: commitRefView(links, repo, commit.hash), links: srcLinks(links, repo, commit, path, true) };
}

/** The entries under `path`, `maxDepth` levels deep, in git's order (each directory followed by its contents). */
function listing(tree: FileTree, path: string, maxDepth: number): Array<{ path: string; file?: FileEntry }> {
	const prefix = path ? `${path}/` : '';
	const entries = new Map<string, FileEntry | undefined>();
	for (const [key, file] of tree) {
		if (!key.startsWith(prefix)) continue;
		const parts = key.slice(prefix.length).split('/');
		for (let depth = 1; depth <= Math.min(parts.length, maxDepth); depth++) {
			const entry = prefix + parts.slice(0, depth).join('/');
			entries.set(entry, depth === parts.length ? file : undefined);
		}
	}
	// git orders a directory as its name followed by "/".
	const sortKey = (entry: string, file: FileEntry | undefined) => (file ? entry : `${entry}/`);
	return [...entries.entries()]
		.map(([entry, file]) => ({ path: entry, file, key: sortKey(entry, file) }))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
		.map(({ path: entry, file }) => ({ path: entry, file }));
}

function getSource(ctx: RouteContext): ApiResult {
	const repo = repositoryOf(ctx);
	const commit = commitOf(ctx, repo, ctx.params['commit']);
	const path = (ctx.params['path'] ?? '').replace(/\/+$/, '');
	const tree = ctx.state.treeOf(repo, commit);
	const file = tree.get(path);
	const meta = ctx.query.get('format') === 'meta';
	if (file) {
		if (meta) return json(200, fileView(ctx.links, repo, commit, path, file));
		const name = path.split('/').pop() ?? path;
		return {
			status: 200,
			bytes: file.content,
			contentType: mimeTypeOf(path),
			headers: { 'content-disposition': `attachment; filename="${name}"`, etag: `"${createHash('sha1').update(file.content).digest('hex')}"` },
		};
	}
	if (!isDirectory(tree, path)) throw notFound(`No such file or directory: ${path}`);
	if (meta) return json(200, directoryView(ctx.links, repo, commit, path));
	const rawDepth = ctx.query.get('max_depth');
	if (rawDepth !== undefined && !/^[1-9]\d*$/.test(rawDepth)) throw badRequest('Invalid max_depth', { detail: 'max_depth must be a positive integer' });
	const entries = listing(tree, path, rawDepth === undefined ? 1 : Number(rawDepth));
	return json(
		200,
		paginate(ctx, entries, (e) => (e.file ? fileView(ctx.links, repo, commit, e.path, e.file) : directoryView(ctx.links, repo, commit, e.path)), { pages: 'opaque' }),
	);
}

/** A repository path from a form field: leading slashes dropped; no empty, `.` or `..` segment. */
function repoPath(raw: string, field: string): string {
	const path = raw.replace(/^\/+/, '');
	const segments = path.split('/');
	if (path === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
		throw invalidFields({ [field]: [`"${raw}" is not a valid file path.`] });
	}
	return path;
}

function formValue(parts: readonly FormPart[], name: string): string | undefined {
	const part = parts.find((p) => p.name === name && 'value' in p);
	return part && 'value' in part ? part.value : undefined;
}

function lineCount(content: Buffer): number {
	if (content.length === 0) return 0;
	let lines = 0;
	for (const byte of content) if (byte === 0x0a) lines++;
	return content[content.length - 1] === 0x0a ? lines : lines + 1;
}

function commitFiles(ctx: RouteContext): ApiResult {
	const repo = repositoryOf(ctx);
	if (!ctx.form) throw badRequest('Bad request', { detail: 'Send the files as multipart/form-data.' });
	if (ctx.form === 'malformed') throw badRequest('Bad request', { detail: 'The multipart/form-data body could not be read.' });
	const parts = ctx.form;
	const message = formValue(parts, 'message') ?? 'Edited online with Bitbucket';
	const rawAuthor = formValue(parts, 'author');
	if (rawAuthor !== undefined && !/^[^<>]+<[^<>@\s]+@[^<>\s]+>$/.test(rawAuthor.trim())) {
		throw invalidFields({ author: ['Author must look like "Name <email>".'] });
	}
	const branchName = formValue(parts, 'branch');
	if (branchName !== undefined && !validRefName(branchName)) throw invalidFields({ branch: [`"${branchName}" is not a valid branch name.`] });
	const parentHash = formValue(parts, 'parents');
	const parent = parentHash === undefined ? undefined : ctx.state.commit(repo, parentHash.trim());
	if (parentHash !== undefined && !parent) throw invalidFields({ parents: [`Commit ${parentHash} not found.`] });

	const writes = new Map<string, FileEntry>();
	for (const part of parts) {
		if ('bytes' in part) writes.set(repoPath(part.name, part.name), { content: part.bytes, attributes: [] });
		else if (!META_FIELDS.has(part.name)) writes.set(repoPath(part.name, part.name), { content: Buffer.from(part.value, 'utf8'), attributes: [] });
	}
	const deletes = parts.filter((p) => p.name === 'files' && 'value' in p).map((p) => repoPath((p as { value: string }).value, 'files'));

	const main = ctx.state.branch(repo, repo.mainbranch.name);
	if (!main) throw new ApiError(500, 'The repository has no main branch');
	const existing = ctx.state.branch(repo, branchName ?? repo.mainbranch.name);
	if (existing && parent && parent.hash !== existing.target.hash) {
		throw new ApiError(409, `Commit ${parent.hash.slice(0, 12)} is not the head of branch ${existing.name}`, {
			detail: `The branch ${existing.name} has moved to ${existing.target.hash.slice(0, 12)}.`,
		});
	}
	const base = existing?.target ?? parent ?? main.target;
	const before = ctx.state.treeOf(repo, base);
	const tree = new Map(before);
	const changes: FileChange[] = [];
	for (const path of deletes) {
		const old = tree.get(path);
		if (!old || writes.has(path)) continue;
		tree.delete(path);
		changes.push({ path, status: 'removed', lines_added: 0, lines_removed: lineCount(old.content) });
	}
	for (const [path, file] of writes) {
		if (isDirectory(tree, path)) throw invalidFields({ [path]: [`"${path}" is a directory.`] });
		const old = tree.get(path);
		const kept = old?.attributes.filter((a) => a !== 'binary') ?? [];
		tree.set(path, { content: file.content, attributes: file.content.includes(0) ? [...kept, 'binary'] : kept });
		changes.push({ path, status: old ? 'modified' : 'added', lines_added: lineCount(file.content), lines_removed: old ? lineCount(old.content) : 0 });
	}
	if (writes.size === 0 && deletes.length === 0) throw badRequest('Bad request', { detail: 'No files to commit.' });

	const commit: CommitRecord = {
		hash: createHash('sha1').update(`${base.hash}:${repo.full_name}:${ctx.state.nextSerial()}:${message}`).digest('hex'),
		date: ctx.state.clock.now(),
		message,
		author: ctx.principal.user,
		parents: [base.hash],
		files: changes,
		tree,
	};
	if (rawAuthor !== undefined) commit.rawAuthor = rawAuthor.trim();
	ctx.state.addCommit(repo, commit);
	if (existing) existing.target = commit;
	else repo.branches.push({ name: branchName as string, target: commit });
	repo.updated_on = commit.date;
	return { status: 201, headers: { location: ctx.links.repoApi(repo, 'commit', commit.hash) } };
}

export const srcRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/src`,
		scopes: SCOPES.readRepo,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			const main = commitOf(ctx, repo, repo.mainbranch.name);
			return { status: 302, headers: { location: `${ctx.links.repoApi(repo, 'src', main.hash)}/` } };
		},
	},
	{ method: 'GET', path: `${R}/src/:commit/*path`, scopes: SCOPES.readRepo, access: 'repository', handle: getSource },
	{ method: 'POST', path: `${R}/src`, scopes: SCOPES.writeRepo, access: 'repository', handle: commitFiles },
];
