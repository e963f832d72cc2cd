/**
 * Identifiers that go into URL paths: validated before any request is sent, then percent-encoded one
 * segment at a time (branch names contain `/`, UUIDs come in braces).
 */
import { BitbucketInputError } from './errors';

export interface RepoRef {
	workspace: string;
	repo: string;
}

const UUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
/** Workspace IDs and repository slugs: letters, digits, `-`, `_`, `.` (or a `{uuid}`). */
const SLUG = /^[A-Za-z0-9_.-]+$/;
const HASH = /^[0-9a-f]{7,40}$/i;
const CONTROL = /[\u0000-\u001f\u007f]/;

function present(value: unknown, field: string, label: string): string {
	if (value === undefined || value === null) throw new BitbucketInputError(`${label} is required`, field);
	const text = String(value).trim();
	if (!text) throw new BitbucketInputError(`${label} is empty`, field);
	return text;
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

/** A branch or tag name: anything Git allows, so `/` is fine (it gets encoded); no spaces or control characters. */
export function refName(value: unknown, field = 'branch', label = 'Branch name'): string {
	const text = present(value, field, label);
	if (CONTROL.test(text) || /\s/.test(text) || text.includes('..') || text.endsWith('/') || text.startsWith('/')) {
		throw new BitbucketInputError(`${label} "${text}" is not a valid Git ref name`, field);
	}
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
	return text;
}

function braced(text: string): string {
	const bare = text.replace(/^\{|\}$/g, '');
	return `{${bare.toLowerCase()}}`;
}

/** Joins already-validated segments into an encoded path: path('repositories', ws, repo) → /repositories/ws/repo */
export function path(...segments: Array<string | number>): string {
	return '/' + segments.map((s) => encodeSegment(String(s))).join('/');
}

/** /repositories/{workspace}/{repo_slug}/…rest, with every part validated and encoded. */
export function repoPath(ref: RepoRef, ...rest: Array<string | number>): string {
	return path('repositories', workspaceId(ref.workspace), repoSlug(ref.repo), ...rest);
}
