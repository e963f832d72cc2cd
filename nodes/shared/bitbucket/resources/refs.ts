/** Branches and tags (`…/refs/branches`, `…/refs/tags`): names may contain `/`, so each is one encoded segment. */
import { BitbucketInputError } from '../errors';
import { commitHash, refName, repoPath, type RepoRef } from '../paths';
import type { Query } from '../request';
import type { Ref } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions, type PageResult } from './part';

export type RefListOptions = ListOptions & { q?: string; sort?: string };

export class RefsPart extends ResourcePart {
	async listBranches(ref: RepoRef, options: RefListOptions = {}): Promise<Ref[]> {
		return await this.collect<Ref>(repoPath(ref, 'refs', 'branches'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	/** One page of branches, for a searchable list. */
	async pageBranches(ref: RepoRef, options: { q?: string; sort?: string; pagelen?: number } = {}, next?: string): Promise<PageResult<Ref>> {
		const query: Query = { pagelen: options.pagelen ?? PAGE_SIZE.default, q: options.q, sort: options.sort };
		return await this.onePage<Ref>(repoPath(ref, 'refs', 'branches'), query, next);
	}

	async getBranch(ref: RepoRef, name: string): Promise<Ref> {
		return await this.fetchOne<Ref>(repoPath(ref, 'refs', 'branches', refName(name, 'name', 'Branch name')));
	}

	/** Creates a branch at a commit, or at the current head of another branch (resolved first). */
	async createBranch(ref: RepoRef, name: string, from: { branch: string } | { commit: string }): Promise<Ref> {
		const branchName = refName(name, 'name', 'New branch name');
		const hash = 'commit' in from ? commitHash(from.commit, 'from.commit') : await this.headOf(ref, from.branch);
		return await this.write<Ref>('POST', repoPath(ref, 'refs', 'branches'), { name: branchName, target: { hash } });
	}

	async deleteBranch(ref: RepoRef, name: string): Promise<void> {
		await this.write('DELETE', repoPath(ref, 'refs', 'branches', refName(name, 'name', 'Branch name')));
	}

	async listTags(ref: RepoRef, options: RefListOptions = {}): Promise<Ref[]> {
		return await this.collect<Ref>(repoPath(ref, 'refs', 'tags'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	async createTag(ref: RepoRef, name: string, commit: string, message?: string): Promise<Ref> {
		const body: Record<string, unknown> = { name: refName(name, 'name', 'Tag name'), target: { hash: commitHash(commit, 'commit') } };
		if (message) body.message = message;
		return await this.write<Ref>('POST', repoPath(ref, 'refs', 'tags'), body);
	}

	async deleteTag(ref: RepoRef, name: string): Promise<void> {
		await this.write('DELETE', repoPath(ref, 'refs', 'tags', refName(name, 'name', 'Tag name')));
	}

	/** The head commit of a branch. */
	async headOf(ref: RepoRef, branch: string): Promise<string> {
		const source = await this.fetchOne<Ref>(repoPath(ref, 'refs', 'branches', refName(branch, 'from.branch', 'Source branch')));
		const hash = source.target?.hash;
		if (!hash) throw new BitbucketInputError(`Branch "${branch}" has no head commit`, 'from.branch');
		return hash;
	}
}
