/**
 * Pipeline variables of a repository (`…/pipelines_config/variables`) and of a deployment environment
 * (`…/deployments_config/environments/{uuid}/variables`). A secured variable's value is sent, never read back:
 * Bitbucket does not return it, and this part never echoes it (nor lets it into an error message).
 */
import { BitbucketApiError, BitbucketInputError } from '../errors';
import { repoPath, textArg, uuid, type RepoRef } from '../paths';
import type { PipelineVariableObject } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

/** Where variables live: the repository, or one of its deployment environments (by UUID). */
export interface VariableScope {
	environment?: string;
}

export interface VariableInput {
	key: string;
	value: string;
	secured?: boolean;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function variableKey(value: unknown, field = 'key'): string {
	const key = textArg(value, field, 'Key');
	if (!KEY.test(key)) {
		throw new BitbucketInputError(`Key "${key}" may hold only letters, digits and underscores, and may not start with a digit`, field);
	}
	return key;
}

function variableValue(value: unknown, field = 'value'): string {
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value !== 'string') throw new BitbucketInputError('Value must be text', field);
	return value;
}

export class VariablesPart extends ResourcePart {
	private base(ref: RepoRef, scope: VariableScope): string {
		return scope.environment
			? repoPath(ref, 'deployments_config', 'environments', uuid(scope.environment, 'environment', 'Environment'), 'variables')
			: repoPath(ref, 'pipelines_config', 'variables');
	}

	private one(ref: RepoRef, scope: VariableScope, id: string): string {
		return `${this.base(ref, scope)}/${encodeURIComponent(uuid(id, 'variable', 'Variable UUID'))}`;
	}

	async list(ref: RepoRef, scope: VariableScope = {}, options: ListOptions = {}): Promise<PipelineVariableObject[]> {
		return await this.collect<PipelineVariableObject>(this.base(ref, scope), PAGE_SIZE.default, options, {}, (v) => v.uuid);
	}

	/** One variable by UUID (a deployment environment has no such endpoint: its list is searched). */
	async get(ref: RepoRef, id: string, scope: VariableScope = {}): Promise<PipelineVariableObject> {
		if (!scope.environment) return await this.fetchOne<PipelineVariableObject>(this.one(ref, scope, id));
		const wanted = uuid(id, 'variable', 'Variable UUID');
		const found = (await this.list(ref, scope)).find((v) => v.uuid.toLowerCase() === wanted);
		if (!found) throw new BitbucketInputError(`No variable ${wanted} in this environment`, 'variable');
		return found;
	}

	async create(ref: RepoRef, input: VariableInput, scope: VariableScope = {}): Promise<PipelineVariableObject> {
		const body = { key: variableKey(input.key), value: variableValue(input.value), secured: input.secured === true };
		const created = await this.http
			.request<PipelineVariableObject>({ method: 'POST', path: this.base(ref, scope), body, secrets: [body.value] })
			.catch((error: unknown) => Promise.reject(duplicateError(error, body.key)));
		return created.body;
	}

	async update(ref: RepoRef, id: string, input: Partial<VariableInput>, scope: VariableScope = {}): Promise<PipelineVariableObject> {
		const body: Record<string, unknown> = {};
		if (input.key !== undefined) body.key = variableKey(input.key);
		if (input.value !== undefined) body.value = variableValue(input.value);
		if (input.secured !== undefined) body.secured = input.secured;
		if (Object.keys(body).length === 0) throw new BitbucketInputError('Nothing to update: set the key, the value or Secured', 'updateFields');
		const secrets = typeof body.value === 'string' ? [body.value] : [];
		return (await this.http.request<PipelineVariableObject>({ method: 'PUT', path: this.one(ref, scope, id), body, secrets })).body;
	}

	async delete(ref: RepoRef, id: string, scope: VariableScope = {}): Promise<void> {
		await this.write('DELETE', this.one(ref, scope, id));
	}

	/**
	 * Sets a variable by key: updates the one with that key (by its UUID, secured ones too), else creates it. One
	 * list and one write; a variable created meanwhile by someone else (409) is then updated instead.
	 */
	async set(ref: RepoRef, input: VariableInput, scope: VariableScope = {}): Promise<PipelineVariableObject & { created: boolean }> {
		const key = variableKey(input.key);
		const value = variableValue(input.value);
		const secured = input.secured === true;
		const existing = (await this.list(ref, scope)).find((v) => v.key === key);
		if (existing) return { ...(await this.update(ref, existing.uuid, { value, secured }, scope)), created: false };
		const outcome = await this.create(ref, { key, value, secured }, scope).then(
			(created) => ({ created }),
			(error: unknown) => ({ error }),
		);
		if ('created' in outcome) return { ...outcome.created, created: true };
		if (!(outcome.error instanceof BitbucketApiError) || outcome.error.status !== 409) throw outcome.error;
		const raced = (await this.list(ref, scope)).find((v) => v.key === key);
		if (!raced) throw outcome.error;
		return { ...(await this.update(ref, raced.uuid, { value, secured }, scope)), created: false };
	}
}

/** Bitbucket's 409 for a key used twice, in words. */
function duplicateError(error: unknown, key: string): unknown {
	if (!(error instanceof BitbucketApiError) || error.status !== 409) return error;
	return new BitbucketApiError(`Bitbucket 409: a variable with the key ${key} already exists here. Use Update, or Create or Update.`, 409, error.details);
}
