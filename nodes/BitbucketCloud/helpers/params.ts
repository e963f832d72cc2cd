/**
 * Reading parameters at an item index: resource locators (list / URL / ID) into validated identifiers,
 * Return All / Limit into a limit. Invalid input throws BitbucketInputError naming the field, before any request.
 */
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { BitbucketInputError } from '../../shared/bitbucket/errors';
import { positiveId, refName, repoSlug, workspaceId, type RepoRef } from '../../shared/bitbucket/paths';
import { BITBUCKET_URL } from '../descriptions/locators';

export interface Defaults {
	workspace: string;
	repository: string;
}

function locator(context: IExecuteFunctions, name: string, itemIndex: number): { mode: string; value: string } {
	const raw = context.getNodeParameter(name, itemIndex, '') as INodeParameterResourceLocator | string | number;
	if (raw && typeof raw === 'object') {
		return { mode: String(raw.mode ?? 'id'), value: String(raw.value ?? '').trim() };
	}
	return { mode: 'id', value: String(raw ?? '').trim() };
}

function match(pattern: string, value: string, field: string, what: string): RegExpExecArray {
	const m = new RegExp(pattern).exec(value);
	if (!m) throw new BitbucketInputError(`"${value}" is not a Bitbucket ${what} URL`, field);
	return m;
}

export function readWorkspace(context: IExecuteFunctions, itemIndex: number, defaults: Defaults): string {
	const { mode, value } = locator(context, 'workspace', itemIndex);
	if (!value) {
		if (defaults.workspace) return workspaceId(defaults.workspace, 'workspace');
		throw new BitbucketInputError(
			'Workspace is empty: choose one, or set a default workspace in the credential',
			'workspace',
		);
	}
	if (mode === 'url') return workspaceId(match(BITBUCKET_URL.workspace, value, 'workspace', 'workspace')[1], 'workspace');
	return workspaceId(value, 'workspace');
}

/** Workspace + repository. A repository given by URL carries its workspace. */
export function readRepo(context: IExecuteFunctions, itemIndex: number, defaults: Defaults): RepoRef {
	const { mode, value } = locator(context, 'repository', itemIndex);
	if (mode === 'url' && value) {
		const m = match(BITBUCKET_URL.repository, value, 'repository', 'repository');
		const workspaceField = locator(context, 'workspace', itemIndex);
		const fromUrl = workspaceId(m[1], 'repository');
		if (workspaceField.value && workspaceField.mode !== 'url' && workspaceField.value !== fromUrl) {
			throw new BitbucketInputError(
				`The repository URL is in workspace "${fromUrl}" but Workspace is "${workspaceField.value}"`,
				'repository',
			);
		}
		return { workspace: fromUrl, repo: repoSlug(m[2], 'repository') };
	}
	const workspace = readWorkspace(context, itemIndex, defaults);
	if (!value) {
		if (defaults.repository) return { workspace, repo: repoSlug(defaults.repository, 'repository') };
		throw new BitbucketInputError(
			'Repository is empty: choose one, or set a default repository in the credential',
			'repository',
		);
	}
	return { workspace, repo: repoSlug(value, 'repository') };
}

/** A pull request id; by URL it must point into the selected repository. */
export function readPullRequestId(context: IExecuteFunctions, itemIndex: number, ref: RepoRef): number {
	const { mode, value } = locator(context, 'pullRequest', itemIndex);
	if (mode === 'url') {
		const m = match(BITBUCKET_URL.pullRequest, value, 'pullRequest', 'pull request');
		if (m[1] !== ref.workspace || m[2] !== ref.repo) {
			throw new BitbucketInputError(
				`The pull request URL points to ${m[1]}/${m[2]}, not to the selected repository ${ref.workspace}/${ref.repo}`,
				'pullRequest',
			);
		}
		return positiveId(m[3], 'pullRequest', 'Pull request ID');
	}
	return positiveId(value.replace(/^#/, ''), 'pullRequest', 'Pull request ID');
}

export function readBranch(context: IExecuteFunctions, itemIndex: number, name = 'branch', label = 'Branch'): string {
	const { mode, value } = locator(context, name, itemIndex);
	if (mode === 'url') {
		const m = match(BITBUCKET_URL.branch, value, name, 'branch');
		return refName(decodeURIComponent(m[3]), name, label);
	}
	return refName(value, name, label);
}

/** Optional branch locator: undefined when empty. */
export function readOptionalBranch(context: IExecuteFunctions, itemIndex: number, name: string, label: string): string | undefined {
	const { value } = locator(context, name, itemIndex);
	return value ? readBranch(context, itemIndex, name, label) : undefined;
}

/** Return All / Limit → the limit for the request layer (undefined = all). */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50) as number;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new BitbucketInputError(`Limit must be a whole number of at least 1, got ${String(limit)}`, 'limit');
	}
	return limit;
}

export function readString(context: IExecuteFunctions, name: string, itemIndex: number, fallback = ''): string {
	const value = context.getNodeParameter(name, itemIndex, fallback);
	return value === undefined || value === null ? '' : String(value).trim();
}

export function readCollection(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	return (context.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {};
}

/** A JSON parameter that may arrive as text or as an already-parsed value. */
export function readJson(context: IExecuteFunctions, name: string, itemIndex: number, label: string): unknown {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router maps it to NodeOperationError
		throw new BitbucketInputError(`${label} is not valid JSON: ${(error as Error).message}`, name);
	}
}
