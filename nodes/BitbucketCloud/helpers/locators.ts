/**
 * The one reader of the resource locators (workspace, repository, branch, pull request), used by the operations
 * (a value per item) and by the searchable lists (the editor's current values) alike. It turns a locator into a
 * validated identifier, or a BitbucketInputError that names the field, before any request.
 */
import type { INodeParameterResourceLocator } from 'n8n-workflow';

import { BitbucketInputError } from '../../shared/bitbucket/errors';
import { positiveId, refName, repoSlug, workspaceId, type RepoRef } from '../../shared/bitbucket/paths';
import { BITBUCKET_URL } from '../descriptions/locators';

export interface Defaults {
	workspace: string;
	repository: string;
}

export interface Locator {
	mode: string;
	value: string;
}

/** A locator as n8n stores it (an object with mode and value), or a plain value (an old or a scripted workflow). */
export function locatorOf(raw: unknown): Locator {
	if (raw && typeof raw === 'object') {
		const rlc = raw as INodeParameterResourceLocator;
		return { mode: String(rlc.mode ?? 'id'), value: String(rlc.value ?? '').trim() };
	}
	return { mode: 'id', value: raw === undefined || raw === null ? '' : String(raw).trim() };
}

function match(pattern: string, value: string, field: string, what: string): RegExpExecArray {
	const m = new RegExp(pattern).exec(value);
	if (!m) throw new BitbucketInputError(`"${value}" is not a Bitbucket ${what} URL`, field);
	return m;
}

export function workspaceFrom(workspace: Locator, defaults: Defaults): string {
	if (!workspace.value) {
		if (defaults.workspace) return workspaceId(defaults.workspace, 'workspace');
		throw new BitbucketInputError('Workspace is empty: choose one, or set a default workspace in the credential', 'workspace');
	}
	if (workspace.mode === 'url') return workspaceId(match(BITBUCKET_URL.workspace, workspace.value, 'workspace', 'workspace')[1], 'workspace');
	return workspaceId(workspace.value, 'workspace');
}

/** Workspace + repository. A repository given by URL carries its workspace, which must agree with Workspace. */
export function repoFrom(workspace: Locator, repository: Locator, defaults: Defaults): RepoRef {
	if (repository.mode === 'url' && repository.value) {
		const m = match(BITBUCKET_URL.repository, repository.value, 'repository', 'repository');
		const fromUrl = workspaceId(m[1], 'repository');
		if (workspace.value && workspace.mode !== 'url' && workspace.value !== fromUrl) {
			throw new BitbucketInputError(`The repository URL is in workspace "${fromUrl}" but Workspace is "${workspace.value}"`, 'repository');
		}
		return { workspace: fromUrl, repo: repoSlug(m[2], 'repository') };
	}
	const ws = workspaceFrom(workspace, defaults);
	if (!repository.value) {
		if (defaults.repository) return { workspace: ws, repo: repoSlug(defaults.repository, 'repository') };
		throw new BitbucketInputError('Repository is empty: choose one, or set a default repository in the credential', 'repository');
	}
	return { workspace: ws, repo: repoSlug(repository.value, 'repository') };
}

/** A pull request id; by URL it must point into the selected repository. */
export function pullRequestFrom(pullRequest: Locator, ref: RepoRef, field = 'pullRequest'): number {
	if (pullRequest.mode === 'url') {
		const m = match(BITBUCKET_URL.pullRequest, pullRequest.value, field, 'pull request');
		if (m[1] !== ref.workspace || m[2] !== ref.repo) {
			throw new BitbucketInputError(
				`The pull request URL points to ${m[1]}/${m[2]}, not to the selected repository ${ref.workspace}/${ref.repo}`,
				field,
			);
		}
		return positiveId(m[3], field, 'Pull request ID');
	}
	return positiveId(pullRequest.value.replace(/^#/, ''), field, 'Pull request ID');
}

/** A branch name (Git's ref rules), by name or by a branch URL. */
export function branchFrom(branch: Locator, field: string, label: string): string {
	if (branch.mode === 'url') {
		const m = match(BITBUCKET_URL.branch, branch.value, field, 'branch');
		return refName(decodeURIComponent(m[3]), field, label);
	}
	return refName(branch.value, field, label);
}
