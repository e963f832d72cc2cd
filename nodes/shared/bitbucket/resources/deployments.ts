/** Deployments and deployment environments. */
import { repoPath, type RepoRef } from '../paths';
import type { BitbucketObject } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

export class DeploymentsPart extends ResourcePart {
	async list(ref: RepoRef, options: ListOptions & { sort?: string } = {}): Promise<BitbucketObject[]> {
		return await this.collect<BitbucketObject>(repoPath(ref, 'deployments'), PAGE_SIZE.default, options, { sort: options.sort });
	}

	async listEnvironments(ref: RepoRef, options: ListOptions = {}): Promise<BitbucketObject[]> {
		return await this.collect<BitbucketObject>(repoPath(ref, 'environments'), PAGE_SIZE.default, options, {});
	}
}
