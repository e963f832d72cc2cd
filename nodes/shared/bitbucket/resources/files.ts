/**
 * Repository files (`…/src`): read a file (as bytes arriving, or whole), list a directory (recursively to a
 * depth), and commit files in one multipart/form-data POST. A branch, tag or nothing (the main branch) is first
 * resolved to a commit once per client, so every file of one execution is read from the same commit.
 */
import { BitbucketApiError, BitbucketInputError } from '../errors';
import { encodeMultipart, type FormField } from '../multipart';
import { commitHash, filePath, refName, repoPath, textArg, type RepoRef } from '../paths';
import { readBytes, type ByteStream } from '../transport';
import type { Commit, Ref, Repository, SourceEntry } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

/** A file to commit: its path and its content (text, or bytes with a content type). */
export interface FileToCommit {
	path: string;
	content: string | Uint8Array;
	contentType?: string;
}

export interface CommitFilesInput {
	/** The branch to commit on; created when it does not exist (from `parent`, `fromBranch`, or the main branch). */
	branch: string;
	message: string;
	/** `Name <email>`; default: the credential's user. */
	author?: string;
	/** The commit the new one must follow: when the branch's head is another one, Bitbucket refuses (it moved). */
	parent?: string;
	/** For a branch that does not exist yet: start it from this branch's head (default: the main branch). */
	fromBranch?: string;
	files?: readonly FileToCommit[];
	/** Paths to delete. */
	delete?: readonly string[];
}

export interface FileContent<T> {
	path: string;
	/** The commit the file was read at. */
	commit: string;
	size: number;
	mimeType: string;
	content: T;
}

const AUTHOR = /^[^<>]+<[^<>@\s]+@[^<>\s]+>$/;

/** The file's name for a Content-Type guess and for n8n's binary data. */
export function fileName(path: string): string {
	return path.split('/').pop() ?? path;
}

export class FilesPart extends ResourcePart {
	/** Resolved refs of this client (one execution): every read of one ref sees the same commit. */
	private readonly commits = new Map<string, Promise<string>>();

	/**
	 * The commit a ref names: a hash as it is; a branch, else a tag; empty: the main branch's head. Remembered for
	 * the client's lifetime.
	 */
	async resolve(ref: RepoRef, at: string | undefined, field = 'ref'): Promise<string> {
		const text = (at ?? '').trim();
		if (/^[0-9a-f]{40}$/i.test(text)) return text.toLowerCase();
		const key = `${ref.workspace}/${ref.repo}@${text}`;
		let pending = this.commits.get(key);
		if (!pending) {
			pending = this.lookUp(ref, text, field);
			this.commits.set(key, pending);
			pending.catch(() => this.commits.delete(key));
		}
		return await pending;
	}

	private async lookUp(ref: RepoRef, at: string, field: string): Promise<string> {
		if (at === '') {
			const repository = await this.fetchOne<Repository>(repoPath(ref));
			const main = (repository as Repository & { mainbranch?: { name?: string } }).mainbranch?.name;
			if (!main) throw new BitbucketInputError(`${ref.workspace}/${ref.repo} has no main branch: name a branch, tag or commit`, field);
			return await this.lookUp(ref, main, field);
		}
		const name = refName(at, field, 'Branch, tag or commit');
		for (const kind of ['branches', 'tags'] as const) {
			const found = await this.fetchOne<Ref>(repoPath(ref, 'refs', kind, name)).catch((error: unknown) =>
				error instanceof BitbucketApiError && error.status === 404 ? undefined : Promise.reject(error),
			);
			if (found?.target?.hash) return found.target.hash;
		}
		if (/^[0-9a-f]{7,39}$/i.test(name)) return commitHash(name, field);
		throw new BitbucketInputError(`No branch or tag named "${name}" in ${ref.workspace}/${ref.repo}`, field);
	}

	/** A file's or directory's meta data (`type`, `size`, `mimetype`, `commit`). */
	async meta(ref: RepoRef, path: string, options: { at?: string } = {}): Promise<SourceEntry> {
		const commit = await this.resolve(ref, options.at);
		return await this.fetchOne<SourceEntry>(this.srcPath(ref, commit, filePath(path, 'path', 'File path', { directory: true })), { format: 'meta' });
	}

	/**
	 * A file's content as bytes arriving (never whole in memory): for n8n's binary data. A directory is a clear
	 * error pointing to listing.
	 */
	async stream(ref: RepoRef, path: string, options: { at?: string } = {}): Promise<FileContent<ByteStream>> {
		const file = filePath(path, 'path', 'File path');
		const meta = await this.meta(ref, file, options);
		if (meta.type !== 'commit_file') {
			throw new BitbucketInputError(`"${file}" is a directory, not a file: use File → List to see what it holds`, 'path');
		}
		const commit = meta.commit?.hash ?? (await this.resolve(ref, options.at));
		const response = await this.http.request<ByteStream>({ path: this.srcPath(ref, commit, file), stream: true });
		return { path: file, commit, size: meta.size ?? 0, mimeType: meta.mimetype ?? mimeTypeOf(response.headers['content-type']), content: response.body };
	}

	/** A file's content, whole: bytes, or text (UTF-8). */
	async get(ref: RepoRef, path: string, options: { at?: string; as: 'text' }): Promise<FileContent<string>>;
	async get(ref: RepoRef, path: string, options?: { at?: string; as?: 'bytes' }): Promise<FileContent<Uint8Array>>;
	async get(ref: RepoRef, path: string, options: { at?: string; as?: 'text' | 'bytes' } = {}): Promise<FileContent<string | Uint8Array>> {
		const file = await this.stream(ref, path, options);
		const bytes = await readBytes(file.content);
		return { ...file, size: bytes.length, content: options.as === 'text' ? new TextDecoder().decode(bytes) : bytes };
	}

	/** The entries of a directory (the root when `path` is empty), `maxDepth` levels deep (default 1). */
	async list(ref: RepoRef, path: string, options: ListOptions & { at?: string; maxDepth?: number } = {}): Promise<SourceEntry[]> {
		const directory = filePath(path, 'path', 'Directory', { directory: true });
		const { maxDepth } = options;
		if (maxDepth !== undefined && (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 100)) {
			throw new BitbucketInputError(`Max depth must be a whole number from 1 to 100, got ${String(maxDepth)}`, 'maxDepth');
		}
		const commit = await this.resolve(ref, options.at);
		const entries = await this.collect<SourceEntry>(`${this.srcPath(ref, commit, directory)}/`, PAGE_SIZE.default, options, { max_depth: maxDepth }, (e) => e.path);
		if (entries.length === 0 && directory !== '') {
			// A file answers with its bytes, not a listing: say what it is.
			const meta = await this.meta(ref, directory, { at: commit });
			if (meta.type === 'commit_file') throw new BitbucketInputError(`"${directory}" is a file, not a directory: use File → Get to read it`, 'path');
		}
		return entries;
	}

	/**
	 * One commit of files (added or replaced) and deletions, on a branch. Returns the new commit. A `parent` that is
	 * no longer the branch's head is refused with a message that the branch moved; the POST is never replayed.
	 */
	async commit(ref: RepoRef, input: CommitFilesInput): Promise<Commit> {
		const branch = refName(input.branch, 'branch', 'Branch');
		const message = textArg(input.message, 'message', 'Commit message');
		const author = input.author === undefined ? undefined : textArg(input.author, 'author', 'Author', { optional: true });
		if (author && !AUTHOR.test(author)) {
			throw new BitbucketInputError(`Author "${author}" must look like "Name <email@example.com>"`, 'author');
		}
		let parent = input.parent?.trim() ? commitHash(input.parent, 'parent') : undefined;
		const files = (input.files ?? []).map((f, index) => ({ ...f, path: filePath(f.path, `files[${index}].path`, 'File path') }));
		const deletions = (input.delete ?? []).map((p, index) => filePath(p, `delete[${index}]`, 'Path to delete'));
		if (files.length === 0 && deletions.length === 0) throw new BitbucketInputError('Nothing to commit: add a file or a path to delete', 'files');
		const seen = new Set<string>();
		for (const [index, path] of [...files.map((f) => f.path), ...deletions].entries()) {
			if (seen.has(path)) throw new BitbucketInputError(`"${path}" is named twice in one commit`, index < files.length ? `files[${index}].path` : 'delete');
			seen.add(path);
		}
		if (!parent && input.fromBranch?.trim()) {
			// A new branch starts from fromBranch's head; an existing one simply gets the commit on top.
			const existing = await this.fetchOne<Ref>(repoPath(ref, 'refs', 'branches', branch)).catch((error: unknown) =>
				error instanceof BitbucketApiError && error.status === 404 ? undefined : Promise.reject(error),
			);
			if (!existing) parent = await this.resolve(ref, refName(input.fromBranch, 'fromBranch', 'New branch from'), 'fromBranch');
		}

		const fields: FormField[] = [
			{ field: 'message', text: message },
			{ field: 'branch', text: branch },
		];
		if (author) fields.push({ field: 'author', text: author });
		if (parent) fields.push({ field: 'parents', text: parent });
		for (const path of deletions) fields.push({ field: 'files', text: path });
		for (const file of files) {
			const data = typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content;
			fields.push({ field: file.path, filename: fileName(file.path), contentType: file.contentType, data });
		}
		const created = await this.http
			.request<unknown>({ method: 'POST', path: repoPath(ref, 'src'), raw: encodeMultipart(fields) })
			.catch((error: unknown) => Promise.reject(movedError(error, branch, parent)));
		const location = created.headers['location'] ?? created.headers['Location'];
		const link = Array.isArray(location) ? location[0] : location;
		if (!link) throw new BitbucketApiError(`Bitbucket ${created.status}: the commit was made but its address was not returned`, created.status, { method: 'POST', url: repoPath(ref, 'src'), attempts: 1 });
		return (await this.http.request<Commit>({ url: link, relativeTo: created.url })).body;
	}

	private srcPath(ref: RepoRef, commit: string, path: string): string {
		return path === '' ? repoPath(ref, 'src', commit) : repoPath(ref, 'src', commit, ...path.split('/'));
	}
}

/** Bitbucket's 409 for a parent that is not the branch's head, in words. */
function movedError(error: unknown, branch: string, parent: string | undefined): unknown {
	if (!(error instanceof BitbucketApiError) || error.status !== 409) return error;
	return new BitbucketApiError(
		`Bitbucket 409: the branch "${branch}" moved: its head is no longer ${parent ? parent.slice(0, 12) : 'the commit given'}. Read the branch again and commit on its new head (or leave Parent Commit empty).`,
		409,
		error.details,
	);
}

function mimeTypeOf(header: string | string[] | undefined): string {
	const value = Array.isArray(header) ? header[0] : header;
	return value?.split(';')[0]?.trim() || 'application/octet-stream';
}
