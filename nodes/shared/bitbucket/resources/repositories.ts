/** Repositories: list, get, create (Bitbucket answers 200, not 201, to a create). */
import { path, refName, repoPath, textArg, workspaceId, type RepoRef } from '../paths';
import type { Query } from '../request';
import type { Repository } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions, type PageResult } from './part';

export type RepositoryRole = 'member' | 'contributor' | 'admin' | 'owner';

export interface CreateRepositoryInput {
	isPrivate?: boolean;
	/** Without it Bitbucket puts the repository in the workspace's oldest project. */
	projectKey?: string;
	description?: string;
	name?: string;
	mainBranch?: string;
}

export class RepositoriesPart extends ResourcePart {
	async list(workspace: string, options: ListOptions & { q?: string; role?: RepositoryRole; sort?: string } = {}): Promise<Repository[]> {
		return await this.collect<Repository>(path('repositories', workspaceId(workspace)), PAGE_SIZE.default, options, {
			q: options.q,
			role: options.role,
			sort: options.sort,
		});
	}

	/** One page of a workspace's repositories, for a searchable list. */
	async page(workspace: string, options: { q?: string; sort?: string; pagelen?: number } = {}, next?: string): Promise<PageResult<Repository>> {
		const query: Query = { pagelen: options.pagelen ?? PAGE_SIZE.default, q: options.q, sort: options.sort };
		return await this.onePage<Repository>(path('repositories', workspaceId(workspace)), query, next);
	}

	async get(ref: RepoRef): Promise<Repository> {
		return await this.fetchOne<Repository>(repoPath(ref));
	}

	async create(ref: RepoRef, input: CreateRepositoryInput = {}): Promise<Repository> {
		const body: Record<string, unknown> = { scm: 'git', is_private: input.isPrivate ?? true };
		if (input.name !== undefined) body.name = textArg(input.name, 'name', 'Name');
		if (input.description) body.description = textArg(input.description, 'description', 'Description');
		if (input.projectKey) body.project = { key: textArg(input.projectKey, 'projectKey', 'Project key') };
		if (input.mainBranch) body.mainbranch = { type: 'branch', name: refName(input.mainBranch, 'mainBranch', 'Main branch') };
		return await this.write<Repository>('POST', repoPath(ref), body);
	}
}
