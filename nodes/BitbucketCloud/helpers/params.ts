/**
 * Reading parameters at an item index: resource locators (through helpers/locators.ts), Return All / Limit,
 * text, collections and JSON. Invalid input throws BitbucketInputError naming the field, before any request.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { BitbucketInputError } from '../../shared/bitbucket/errors';
import type { RepoRef } from '../../shared/bitbucket/paths';
import { branchFrom, locatorOf, pullRequestFrom, repoFrom, workspaceFrom, type Defaults } from './locators';

export type { Defaults } from './locators';

function locator(context: IExecuteFunctions, name: string, itemIndex: number) {
	return locatorOf(context.getNodeParameter(name, itemIndex, ''));
}

export function readWorkspace(context: IExecuteFunctions, itemIndex: number, defaults: Defaults): string {
	return workspaceFrom(locator(context, 'workspace', itemIndex), defaults);
}

export function readRepo(context: IExecuteFunctions, itemIndex: number, defaults: Defaults): RepoRef {
	return repoFrom(locator(context, 'workspace', itemIndex), locator(context, 'repository', itemIndex), defaults);
}

export function readPullRequestId(context: IExecuteFunctions, itemIndex: number, ref: RepoRef): number {
	return pullRequestFrom(locator(context, 'pullRequest', itemIndex), ref);
}

export function readBranch(context: IExecuteFunctions, itemIndex: number, name = 'branch', label = 'Branch'): string {
	return branchFrom(locator(context, name, itemIndex), name, label);
}

/** Optional branch locator: undefined when empty. */
export function readOptionalBranch(context: IExecuteFunctions, itemIndex: number, name: string, label: string): string | undefined {
	const value = locator(context, name, itemIndex);
	return value.value ? branchFrom(value, name, label) : undefined;
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
	const parsed = parseJson(value);
	if ('problem' in parsed) throw new BitbucketInputError(`${label} is not valid JSON: ${parsed.problem}`, name);
	return parsed.value;
}

function parseJson(text: string): { value: unknown } | { problem: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { problem: error instanceof Error ? error.message : String(error) };
	}
}

/** Simplify: whether to ask Bitbucket for the curated fields only. */
export function readSimplify(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('simplify', itemIndex, true) as boolean;
}
