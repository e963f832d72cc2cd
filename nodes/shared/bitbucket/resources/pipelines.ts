/** Pipelines: list (newest first), get, trigger (with variables), stop, steps and step logs. */
import { BitbucketInputError } from '../errors';
import { commitHash, refName, repoPath, uuid, type RepoRef } from '../paths';
import type { Query } from '../request';
import type { Pipeline, PipelineStep, PipelineTarget, PipelineVariable } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

/**
 * The pipelines list filters with its own query parameters, not BBQL (`q` is ignored there): status, the branch
 * or ref, the trigger, the creator, the selector and the creation date.
 */
export interface PipelineFilters {
	status?: PipelineStatus;
	branch?: string;
	refName?: string;
	refType?: 'BRANCH' | 'TAG' | 'ANNOTATED_TAG';
	commitHash?: string;
	triggerType?: 'PUSH' | 'MANUAL' | 'SCHEDULED' | 'PARENT_STEP';
	creatorUuid?: string;
	selectorType?: 'BRANCH' | 'TAG' | 'CUSTOM' | 'PULLREQUESTS' | 'DEFAULT';
	selectorPattern?: string;
	createdOn?: string;
}

export const PIPELINE_STATUSES = ['PARSING', 'PENDING', 'PAUSED', 'HALTED', 'BUILDING', 'ERROR', 'PASSED', 'FAILED', 'STOPPED', 'UNKNOWN'] as const;
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

export type PipelineListOptions = ListOptions & { sort?: string; filters?: PipelineFilters };

function filterQuery(filters: PipelineFilters = {}): Query {
	if (filters.status !== undefined && !PIPELINE_STATUSES.includes(filters.status)) {
		throw new BitbucketInputError(`Unknown pipeline status "${String(filters.status)}" (use ${PIPELINE_STATUSES.join(', ')})`, 'filters.status');
	}
	return {
		status: filters.status,
		'target.branch': filters.branch ? refName(filters.branch, 'filters.branch', 'Branch') : undefined,
		'target.ref_name': filters.refName ? refName(filters.refName, 'filters.refName', 'Ref name') : undefined,
		'target.ref_type': filters.refType,
		'target.commit.hash': filters.commitHash ? commitHash(filters.commitHash, 'filters.commitHash') : undefined,
		trigger_type: filters.triggerType,
		'creator.uuid': filters.creatorUuid ? uuid(filters.creatorUuid, 'filters.creatorUuid', 'Creator UUID') : undefined,
		'target.selector.type': filters.selectorType,
		'target.selector.pattern': filters.selectorPattern,
		created_on: filters.createdOn,
	};
}

export class PipelinesPart extends ResourcePart {
	/** Newest first by default. */
	async list(ref: RepoRef, options: PipelineListOptions = {}): Promise<Pipeline[]> {
		return await this.collect<Pipeline>(
			repoPath(ref, 'pipelines'),
			PAGE_SIZE.default,
			options,
			{ sort: options.sort ?? '-created_on', ...filterQuery(options.filters) },
			(p) => p.uuid,
		);
	}

	/** The pipelines page by page (newest first unless `sort` says otherwise), for a walk that stops on its own. */
	async *walk(ref: RepoRef, options: { sort?: string; filters?: PipelineFilters; fields?: string } = {}): AsyncGenerator<Pipeline[], void, undefined> {
		const query: Query = { sort: options.sort ?? '-created_on', ...filterQuery(options.filters), pagelen: PAGE_SIZE.default, fields: options.fields };
		for await (const page of this.http.pages<Pipeline>({ path: repoPath(ref, 'pipelines'), query })) yield page.values;
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
