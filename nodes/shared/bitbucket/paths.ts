/**
 * Identifiers that go into URL paths: validated before any request is sent, then percent-encoded one
 * segment at a time (branch names contain `/`, UUIDs come in braces).
 */
import { BitbucketInputError } from './errors';

export interface RepoRef {
	workspace: string;
	repo: string;
}

const BARE_UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A UUID with both braces or none: `{…}` or `…`, never `{…` or `…}`. */
const UUID = new RegExp(`^(?:\\{${BARE_UUID}\\}|${BARE_UUID})$`, 'i');
/** Workspace IDs and repository slugs: letters, digits, `-`, `_`, `.` (or a `{uuid}`). */
const SLUG = /^[A-Za-z0-9_.-]+$/;
const HASH = /^[0-9a-f]{7,40}$/i;
/** ASCII control characters (0-31 and 127) never belong in an identifier. */
const CONTROL = { test: (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127) };

function present(value: unknown, field: string, label: string): string {
	if (value === undefined || value === null) throw new BitbucketInputError(`${label} is required`, field);
	const text = String(value).trim();
	if (!text) throw new BitbucketInputError(`${label} is empty`, field);
	return text;
}

/**
 * A text argument (a title, a comment, a key): must be a string, trimmed; empty is an error unless `optional`.
 * Anything else (an object from a JSON field, a number from a script) is a typed error naming the argument,
 * never a TypeError or "[object Object]".
 */
export function textArg(value: unknown, field: string, label: string, options: { optional?: boolean; trim?: boolean } = {}): string {
	if (value === undefined || value === null) {
		if (options.optional) return '';
		throw new BitbucketInputError(`${label} is required`, field);
	}
	if (typeof value !== 'string') {
		throw new BitbucketInputError(`${label} must be text, not ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`, field);
	}
	const text = options.trim === false ? value : value.trim();
	if (!text.trim() && !options.optional) throw new BitbucketInputError(`${label} is empty`, field);
	return text;
}

/** A URL, or undefined when the text is not one (no exception to catch). */
export function tryUrl(text: string, base?: string): URL | undefined {
	return URL.canParse(text, base) ? new URL(text, base) : undefined;
}

/** Encodes one path segment (everything, including `/`, `{`, `}`). */
export function encodeSegment(value: string): string {
	return encodeURIComponent(value);
}

/** A workspace ID/slug or `{uuid}`. */
export function workspaceId(value: unknown, field = 'workspace'): string {
	const text = present(value, field, 'Workspace');
	if (UUID.test(text)) return braced(text);
	if (!SLUG.test(text) || text === '.' || text === '..') {
		throw new BitbucketInputError(
			`Workspace "${text}" is not a valid workspace ID (letters, digits, "-", "_" or ".", or a {uuid})`,
			field,
		);
	}
	return text;
}

/** A repository slug or `{uuid}`. */
export function repoSlug(value: unknown, field = 'repository'): string {
	const text = present(value, field, 'Repository');
	if (UUID.test(text)) return braced(text);
	if (!SLUG.test(text) || text === '.' || text === '..') {
		throw new BitbucketInputError(
			`Repository "${text}" is not a valid repository slug (letters, digits, "-", "_" or ".", or a {uuid})`,
			field,
		);
	}
	return text;
}

/** `.` and `..` are resolved away by every URL parser (`%2e` too): as identifiers they would reach another path. */
export function isDotSegment(segment: string): boolean {
	return /^(?:\.|%2e){1,2}$/i.test(segment);
}

/**
 * Why a branch or tag name breaks Git's ref rules (git check-ref-format), or undefined when it is fine.
 * `/` is allowed (it gets encoded); `.` and `..` components are not, so no name can climb out of its URL path.
 */
export function refNameProblem(text: string): string | undefined {
	if (CONTROL.test(text) || /\s/.test(text)) return 'contains a space or a control character';
	if (/[~^:?*[\\]/.test(text)) return 'contains one of ~ ^ : ? * [ \\';
	if (text.startsWith('/') || text.endsWith('/') || text.includes('//')) return 'starts or ends with "/" or has an empty part';
	if (text.includes('..')) return 'contains ".."';
	if (text.split('/').some((part) => part.startsWith('.'))) return 'has a part that starts with "."';
	if (text.endsWith('.') || text.split('/').some((part) => part.endsWith('.lock'))) return 'ends with "." or ".lock"';
	if (text === '@' || text.includes('@{')) return 'is "@" or contains "@{"';
	return undefined;
}

/** A branch or tag name (or a revision: a branch, tag or hash), validated with Git's ref rules. */
export function refName(value: unknown, field = 'branch', label = 'Branch name'): string {
	const text = present(value, field, label);
	const problem = refNameProblem(text);
	if (problem) throw new BitbucketInputError(`${label} "${text}" is not a valid Git ref name: it ${problem}`, field);
	return text;
}

/**
 * A file or directory path inside a repository, relative to its root (`docs/CHANGELOG.md`): no leading `/`, no
 * empty, `.` or `..` segment, no backslash, quote or control character. A directory may be empty (the root) with
 * `directory`; a trailing `/` is dropped.
 */
export function filePath(value: unknown, field: string, label: string, options: { directory?: boolean } = {}): string {
	const raw = value === undefined || value === null ? '' : String(value);
	const text = options.directory ? raw.trim().replace(/\/+$/, '') : raw.trim();
	if (text === '') {
		if (options.directory) return '';
		throw new BitbucketInputError(`${label} is empty`, field);
	}
	const problem = text.startsWith('/')
		? 'starts with "/" (write it from the repository\'s root, e.g. docs/guide.md)'
		: text.split('/').some((s) => s === '')
			? 'has an empty part ("//" or a trailing "/")'
			: text.split('/').some(isDotSegment)
				? 'has a "." or ".." part'
				: /["\\]/.test(text) || CONTROL.test(text)
					? 'contains a quote, a backslash or a control character'
					: undefined;
	if (problem) throw new BitbucketInputError(`${label} "${text}" is not a valid path in the repository: it ${problem}`, field);
	return text;
}

/** A pull request or issue id: a positive integer. */
export function positiveId(value: unknown, field: string, label: string): number {
	const text = present(value, field, label);
	if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
		throw new BitbucketInputError(`${label} must be a positive whole number, got "${text}"`, field);
	}
	return Number(text);
}

/** A commit hash (7 to 40 hex characters). */
export function commitHash(value: unknown, field = 'commit'): string {
	const text = present(value, field, 'Commit hash');
	if (!HASH.test(text)) {
		throw new BitbucketInputError(`Commit hash "${text}" is not a hex SHA (7 to 40 characters)`, field);
	}
	return text.toLowerCase();
}

/** A Bitbucket UUID, returned in braces as the API expects (`{…}`); accepts it with or without braces. */
export function uuid(value: unknown, field: string, label: string): string {
	const text = present(value, field, label);
	if (!UUID.test(text)) throw new BitbucketInputError(`${label} "${text}" is not a UUID`, field);
	return braced(text);
}

/** Any other identifier that must be one non-empty path segment (webhook uids, step uuids, …). */
export function plainSegment(value: unknown, field: string, label: string): string {
	const text = present(value, field, label);
	if (CONTROL.test(text)) throw new BitbucketInputError(`${label} contains control characters`, field);
	if (isDotSegment(text)) throw new BitbucketInputError(`${label} "${text}" is not allowed: "." and ".." are not identifiers`, field);
	return text;
}

function braced(text: string): string {
	const bare = text.replace(/^\{|\}$/g, '');
	return `{${bare.toLowerCase()}}`;
}

/**
 * Joins already-validated segments into an encoded path: path('repositories', ws, repo) → /repositories/ws/repo.
 * The last line of defence against dot segments: the validators name the field first.
 */
export function path(...segments: Array<string | number>): string {
	return (
		'/' +
		segments
			.map((s) => {
				const text = String(s);
				if (text === '' || isDotSegment(text)) {
					throw new BitbucketInputError(`A path segment may not be empty, "." or ".." (got "${text}")`, 'path');
				}
				return encodeSegment(text);
			})
			.join('/')
	);
}

/** /repositories/{workspace}/{repo_slug}/…rest, with every part validated and encoded. */
export function repoPath(ref: RepoRef, ...rest: Array<string | number>): string {
	return path('repositories', workspaceId(ref.workspace), repoSlug(ref.repo), ...rest);
}
