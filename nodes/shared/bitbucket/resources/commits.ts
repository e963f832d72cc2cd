/** Commits (hash-cursor pagination) and their build statuses. */
import { BitbucketInputError } from '../errors';
import { commitHash, refName, repoPath, textArg, type RepoRef } from '../paths';
import type { BuildState, BuildStatus, Commit } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

export const BUILD_STATES: readonly BuildState[] = ['SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'];

export interface CommitListOptions extends ListOptions {
	/** A branch, tag or hash; default: every branch. */
	revision?: string;
	include?: string[];
	exclude?: string[];
	path?: string;
}

export interface BuildStatusInput {
	key: string;
	state: BuildState;
	url: string;
	name?: string;
	description?: string;
}

export class CommitsPart extends ResourcePart {
	/** Commits reachable from `revision` (a branch or hash; default: all branches), newest first. */
	async list(ref: RepoRef, options: CommitListOptions = {}): Promise<Commit[]> {
		const base = options.revision
			? repoPath(ref, 'commits', refName(options.revision, 'revision', 'Branch or revision'))
			: repoPath(ref, 'commits');
		return await this.collect<Commit>(
			base,
			PAGE_SIZE.default,
			options,
			{
				include: options.include?.length ? options.include : undefined,
				exclude: options.exclude?.length ? options.exclude : undefined,
				path: options.path,
			},
			(c) => c.hash,
		);
	}

	/** The commits of a revision page by page, newest first (hash cursors), for a walk that stops on its own. */
	async *walk(ref: RepoRef, options: { revision: string; fields?: string }): AsyncGenerator<Commit[], void, undefined> {
		const path = repoPath(ref, 'commits', refName(options.revision, 'revision', 'Branch or revision'));
		for await (const page of this.http.pages<Commit>({ path, query: { pagelen: PAGE_SIZE.default, fields: options.fields } })) yield page.values;
	}

	async get(ref: RepoRef, hash: string): Promise<Commit> {
		return await this.fetchOne<Commit>(repoPath(ref, 'commit', commitHash(hash, 'hash')));
	}

	async createBuildStatus(ref: RepoRef, hash: string, input: BuildStatusInput): Promise<BuildStatus> {
		if (!BUILD_STATES.includes(input.state)) {
			throw new BitbucketInputError(`Unknown build state "${String(input.state)}" (use ${BUILD_STATES.join(', ')})`, 'state');
		}
		const key = textArg(input.key, 'key', 'Build key');
		const url = textArg(input.url, 'url', 'Build URL');
		if (!/^https?:\/\//.test(url)) throw new BitbucketInputError('Build URL must be an http(s) URL', 'url');
		const body: Record<string, unknown> = { key, state: input.state, url };
		if (input.name) body.name = textArg(input.name, 'name', 'Build name');
		if (input.description) body.description = textArg(input.description, 'description', 'Description');
		return await this.write<BuildStatus>('POST', repoPath(ref, 'commit', commitHash(hash, 'hash'), 'statuses', 'build'), body);
	}

	async listBuildStatuses(ref: RepoRef, hash: string, options: ListOptions = {}): Promise<BuildStatus[]> {
		return await this.collect<BuildStatus>(repoPath(ref, 'commit', commitHash(hash, 'hash'), 'statuses'), PAGE_SIZE.default, options, {});
	}
}
