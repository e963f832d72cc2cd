/** Pipelines: list (newest first), get, trigger (with variables), stop, steps and step logs. */
import { BitbucketInputError } from '../errors';
import { commitHash, refName, repoPath, uuid, type RepoRef } from '../paths';
import type { Pipeline, PipelineStep, PipelineTarget, PipelineVariable } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

export class PipelinesPart extends ResourcePart {
	/** Newest first by default. */
	async list(ref: RepoRef, options: ListOptions & { sort?: string; q?: string } = {}): Promise<Pipeline[]> {
		return await this.collect<Pipeline>(repoPath(ref, 'pipelines'), PAGE_SIZE.default, options, { sort: options.sort ?? '-created_on', q: options.q }, (p) => p.uuid);
	}

	async get(ref: RepoRef, pipelineUuid: string): Promise<Pipeline> {
		return await this.fetchOne<Pipeline>(pipelinePath(ref, pipelineUuid));
	}

	/**
	 * Runs a pipeline. Variables are validated before anything is sent (argument `variables`): a list of
	 * `{ key, value, secured }` with unique keys and text, number or true/false values.
	 */
	async trigger(ref: RepoRef, target: PipelineTarget, variables: readonly PipelineVariable[] = []): Promise<Pipeline> {
		const pattern = typeof target.pattern === 'string' ? target.pattern.trim() : '';
		const selector = pattern ? { type: 'custom', pattern } : undefined;
		let bodyTarget: Record<string, unknown>;
		if (target.kind === 'commit') {
			bodyTarget = { type: 'pipeline_commit_target', commit: { type: 'commit', hash: commitHash(target.hash, 'target.hash') } };
			if (target.branch) {
				bodyTarget.ref_type = 'branch';
				bodyTarget.ref_name = refName(target.branch, 'target.branch', 'Branch name');
			}
		} else if (target.kind === 'branch' || target.kind === 'tag') {
			bodyTarget = {
				type: 'pipeline_ref_target',
				ref_type: target.kind,
				ref_name: refName(target.name, 'target.name', target.kind === 'tag' ? 'Tag name' : 'Branch name'),
			};
		} else {
			throw new BitbucketInputError('The target must be a branch, a tag or a commit', 'target');
		}
		if (selector) bodyTarget.selector = selector;
		const vars = pipelineVariables(variables);
		const body: Record<string, unknown> = { target: bodyTarget };
		if (vars.length) body.variables = vars;
		return await this.write<Pipeline>('POST', repoPath(ref, 'pipelines'), body);
	}

	async stop(ref: RepoRef, pipelineUuid: string): Promise<void> {
		await this.write('POST', pipelinePath(ref, pipelineUuid, 'stopPipeline'));
	}

	async listSteps(ref: RepoRef, pipelineUuid: string, options: ListOptions = {}): Promise<PipelineStep[]> {
		return await this.collect<PipelineStep>(pipelinePath(ref, pipelineUuid, 'steps'), PAGE_SIZE.default, options, {});
	}

	async stepLog(ref: RepoRef, pipelineUuid: string, stepUuid: string): Promise<string> {
		const response = await this.http.request<unknown>({
			path: pipelinePath(ref, pipelineUuid, 'steps', uuid(stepUuid, 'stepUuid', 'Step UUID'), 'log'),
			text: true,
		});
		return typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
	}
}

function pipelinePath(ref: RepoRef, pipelineUuid: string, ...rest: string[]): string {
	return repoPath(ref, 'pipelines', uuid(pipelineUuid, 'pipelineUuid', 'Pipeline UUID'), ...rest);
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Pipeline variables as Bitbucket takes them, or a BitbucketInputError (argument `variables`) naming the variable. */
export function pipelineVariables(variables: unknown): PipelineVariable[] {
	if (variables === undefined) return [];
	if (!Array.isArray(variables)) {
		throw new BitbucketInputError(`Variables must be a list of {key, value, secured} objects, got ${describeValue(variables)}`, 'variables');
	}
	const keys = new Set<string>();
	return variables.map((entry: unknown, i) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new BitbucketInputError(`Variable ${i + 1} must be an object with "key" and "value", got ${describeValue(entry)}`, 'variables');
		}
		const v = entry as Record<string, unknown>;
		const key = typeof v.key === 'string' ? v.key.trim() : '';
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
			throw new BitbucketInputError(
				`Variable ${i + 1}: key ${JSON.stringify(v.key ?? '')} must be letters, digits and "_", not starting with a digit`,
				'variables',
			);
		}
		if (keys.has(key)) throw new BitbucketInputError(`Variable "${key}" is given twice`, 'variables');
		keys.add(key);
		const value = v.value;
		if (value !== undefined && value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
			throw new BitbucketInputError(`Variable "${key}": the value must be text, a number or true/false, not ${describeValue(value)}`, 'variables');
		}
		if (v.secured !== undefined && typeof v.secured !== 'boolean') {
			throw new BitbucketInputError(`Variable "${key}": "secured" must be true or false, got ${describeValue(v.secured)}`, 'variables');
		}
		return { key, value: value === undefined || value === null ? '' : String(value), secured: v.secured === true };
	});
}
