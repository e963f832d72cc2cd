/** The caller and their workspaces (`/user`, `/user/workspaces`: the old `/workspaces` answers 410). */
import type { Query } from '../request';
import type { Account, WorkspaceAccess } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions, type PageResult } from './part';

export class WorkspacesPart extends ResourcePart {
	async currentUser(): Promise<Account> {
		return await this.fetchOne<Account>('/user');
	}

	async list(options: ListOptions & { q?: string; sort?: string } = {}): Promise<WorkspaceAccess[]> {
		return await this.collect<WorkspaceAccess>('/user/workspaces', PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	/** One page of the caller's workspaces, for a searchable list. */
	async page(options: { q?: string; sort?: string; pagelen?: number } = {}, next?: string): Promise<PageResult<WorkspaceAccess>> {
		const query: Query = { pagelen: options.pagelen ?? PAGE_SIZE.default, q: options.q, sort: options.sort };
		return await this.onePage<WorkspaceAccess>('/user/workspaces', query, next);
	}
}
