import { sortBy } from '../bbql';
import { json, noContent, type ApiResult, type RouteContext, type RouteDefinition } from '../context';
import { ApiError, badRequest, invalidFields, notFound } from '../errors';
import type { CommitRecord, PipelineRecord, PipelineTargetRecord, PipelineVariableRecord, RepositoryRecord, StepRecord } from '../model';
import { memoList } from '../cache';
import { PIPELINE_VIEW } from '../view-keys';
import { paginate } from '../pagination';
import { uuidOf } from '../prng';
import { pipelineSteps } from '../seeding/pipelines';
import { isObject, objectBody, R, repositoryOf, SCOPES, type JsonObject } from './common';
import { pipelineView, stepView } from './pipeline-views';

/** Custom pipelines defined in the seeded repositories' bitbucket-pipelines.yml. */
export const CUSTOM_PIPELINES: readonly string[] = ['deploy-to-staging', 'deploy-to-production', 'deploy-staging', 'deploy-production', 'nightly', 'release'];

const STATUS_FILTER: Record<string, (p: PipelineRecord) => boolean> = {
	PENDING: (p) => p.state.name === 'PENDING',
	BUILDING: (p) => p.state.name === 'IN_PROGRESS',
	PASSED: (p) => p.state.result === 'SUCCESSFUL',
	FAILED: (p) => p.state.result === 'FAILED',
	STOPPED: (p) => p.state.result === 'STOPPED',
	ERROR: (p) => p.state.result === 'ERROR',
};

function matchesUuid(uuid: string, param: string): boolean {
	return uuid === param || uuid === `{${param}}`;
}

function pipelineOf(ctx: RouteContext): { repo: RepositoryRecord; pipeline: PipelineRecord } {
	const repo = repositoryOf(ctx);
	const pipeline = repo.pipelines.find((p) => matchesUuid(p.uuid, ctx.params['pipeline_uuid']));
	if (!pipeline) throw notFound(`Pipeline ${ctx.params['pipeline_uuid']} not found`);
	return { repo, pipeline };
}

function stepOf(ctx: RouteContext): { repo: RepositoryRecord; pipeline: PipelineRecord; step: StepRecord } {
	const { repo, pipeline } = pipelineOf(ctx);
	const step = pipeline.steps.find((s) => matchesUuid(s.uuid, ctx.params['step_uuid']));
	if (!step) throw notFound(`Step ${ctx.params['step_uuid']} not found`);
	return { repo, pipeline, step };
}

function listPipelines(ctx: RouteContext): ApiResult {
	const repo = repositoryOf(ctx);
	const q = ctx.query;
	const refName = q.get('target.ref_name') ?? q.get('target.branch');
	const hash = q.get('target.commit.hash');
	const trigger = q.get('trigger_type');
	const status = q.get('status');
	if (status !== undefined && !STATUS_FILTER[status]) throw badRequest(`Invalid status: ${status}`);
	const items = memoList(ctx, () => repo.pipelines.filter(
		(p) =>
			(refName === undefined || p.target.ref_name === refName) &&
			(hash === undefined || p.target.commit.hash.startsWith(hash)) &&
			(trigger === undefined || p.trigger === `pipeline_trigger_${trigger.toLowerCase()}`) &&
			(status === undefined || STATUS_FILTER[status](p)),
	));
	// Oldest first unless sort is given (clients ask for sort=-created_on to see the latest runs).
	const sort = q.get('sort');
	if (sort !== undefined && !['created_on', '-created_on', 'creator.uuid', '-creator.uuid', 'run_creation_date', '-run_creation_date'].includes(sort)) {
		throw badRequest(`Invalid sort: ${sort}`);
	}
	const sorted = sortBy(items, sort?.replace('run_creation_date', 'created_on'));
	return json(200, paginate(ctx, sorted, (p) => pipelineView(ctx.links, repo, p), { cacheAs: PIPELINE_VIEW, dropFromLinks: ['sort', 'fields'] }));
}

function commitFor(ctx: RouteContext, repo: RepositoryRecord, target: JsonObject): CommitRecord | undefined {
	const commit = target['commit'];
	if (commit === undefined || commit === null) return undefined;
	const hash = isObject(commit) ? commit['hash'] : undefined;
	if (typeof hash !== 'string') throw invalidFields({ 'target.commit': ['commit.hash is required.'] });
	const found = ctx.state.commit(repo, hash);
	if (!found) throw badRequest(`Commit ${hash} not found in ${repo.full_name}.`);
	return found;
}

function selectorFor(target: JsonObject): PipelineTargetRecord['selector'] {
	const selector = target['selector'];
	if (selector === undefined || selector === null) return null;
	if (!isObject(selector) || typeof selector['type'] !== 'string') throw invalidFields({ 'target.selector': ['selector.type is required.'] });
	const type = selector['type'];
	const pattern = typeof selector['pattern'] === 'string' ? selector['pattern'] : null;
	if (type === 'custom' && (pattern === null || !CUSTOM_PIPELINES.includes(pattern))) {
		throw badRequest(`The custom pipeline "${pattern ?? ''}" is not defined in bitbucket-pipelines.yml.`, { detail: `Defined custom pipelines: ${CUSTOM_PIPELINES.join(', ')}` });
	}
	if (!['custom', 'branches', 'tags', 'default', 'pull-requests'].includes(type)) throw invalidFields({ 'target.selector': [`"${type}" is not a valid selector type.`] });
	return { type, pattern };
}

function targetFor(ctx: RouteContext, repo: RepositoryRecord, body: JsonObject): PipelineTargetRecord {
	const target = body['target'];
	if (!isObject(target)) throw invalidFields({ target: ['This field is required.'] });
	const selector = selectorFor(target);
	const commit = commitFor(ctx, repo, target);
	if (target['type'] === 'pipeline_commit_target') {
		if (!commit) throw invalidFields({ 'target.commit': ['A commit target needs commit.hash.'] });
		return { type: 'pipeline_commit_target', ref_type: null, ref_name: null, commit: { hash: commit.hash }, selector };
	}
	if (target['type'] !== 'pipeline_ref_target') throw invalidFields({ 'target.type': ['Use pipeline_ref_target or pipeline_commit_target.'] });
	const refType = target['ref_type'];
	const refName = target['ref_name'];
	if (refType !== 'branch' && refType !== 'tag') throw invalidFields({ 'target.ref_type': ['ref_type must be branch or tag.'] });
	if (typeof refName !== 'string' || refName === '') throw invalidFields({ 'target.ref_name': ['This field is required.'] });
	const ref = refType === 'branch' ? ctx.state.branch(repo, refName) : repo.tags.find((t) => t.name === refName);
	if (!ref) throw badRequest(`${refType === 'branch' ? 'Branch' : 'Tag'} "${refName}" not found in ${repo.full_name}.`);
	return { type: 'pipeline_ref_target', ref_type: refType, ref_name: refName, commit: { hash: (commit ?? ref.target).hash }, selector };
}

function variablesFor(body: JsonObject, pipelineKey: string): PipelineVariableRecord[] {
	const raw = body['variables'];
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) throw invalidFields({ variables: ['Expected a list of variables.'] });
	return raw.map((v, index): PipelineVariableRecord => {
		if (!isObject(v) || typeof v['key'] !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v['key'])) {
			throw invalidFields({ [`variables[${index}].key`]: ['Variable names contain only letters, digits and underscores, and do not start with a digit.'] });
		}
		if (typeof v['value'] !== 'string') throw invalidFields({ [`variables[${index}].value`]: ['This field is required.'] });
		return { uuid: uuidOf(`${pipelineKey}:variable:${index}`), key: v['key'], value: v['value'], secured: v['secured'] === true };
	});
}

function triggerPipeline(ctx: RouteContext): ApiResult {
	const repo = repositoryOf(ctx);
	const body = objectBody(ctx);
	const target = targetFor(ctx, repo, body);
	const buildNumber = repo.pipelines.reduce((max, p) => Math.max(max, p.build_number), 0) + 1;
	const key = `${repo.full_name}:pipeline:${buildNumber}:${ctx.state.nextSerial()}`;
	const pipeline: PipelineRecord = {
		uuid: uuidOf(key),
		build_number: buildNumber,
		creator: ctx.principal.user,
		target,
		trigger: 'pipeline_trigger_manual',
		state: { name: 'PENDING', result: null },
		variables: variablesFor(body, key),
		created_on: ctx.state.clock.now(),
		completed_on: null,
		build_seconds_used: 0,
		steps: pipelineSteps(key, 0, { name: 'PENDING', result: null }, target.selector?.type === 'custom'),
	};
	repo.pipelines.push(pipeline);
	return json(201, pipelineView(ctx.links, repo, pipeline), { headers: { location: ctx.links.repoApi(repo, 'pipelines', pipeline.uuid) } });
}

function stopPipeline(ctx: RouteContext): ApiResult {
	const { pipeline } = pipelineOf(ctx);
	if (pipeline.state.name === 'COMPLETED') throw badRequest('The pipeline has already completed and cannot be stopped.');
	const now = ctx.state.clock.now();
	pipeline.state = { name: 'COMPLETED', result: 'STOPPED' };
	pipeline.completed_on = now;
	for (const step of pipeline.steps) {
		if (step.state.name !== 'COMPLETED') {
			step.state = { name: 'COMPLETED', result: 'STOPPED' };
			step.completed_on = now;
		}
	}
	return noContent();
}

/** Step logs are text/plain and honour HTTP Range (206 / 416), as the spec describes. */
function stepLog(ctx: RouteContext): ApiResult {
	const { step } = stepOf(ctx);
	if (step.log === '') throw notFound('Log not found for this step.');
	const bytes = Buffer.from(step.log, 'utf8');
	const range = ctx.headers['range'];
	if (!range) return { status: 200, text: step.log, contentType: 'text/plain; charset=utf-8', headers: { 'accept-ranges': 'bytes' } };
	const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
	const start = match && match[1] !== '' ? Number(match[1]) : match && match[2] !== '' ? Math.max(0, bytes.length - Number(match[2])) : NaN;
	const end = match && match[1] !== '' && match[2] !== '' ? Math.min(Number(match[2]), bytes.length - 1) : bytes.length - 1;
	if (!match || Number.isNaN(start) || start >= bytes.length || end < start) {
		throw new ApiError(416, 'Requested range not satisfiable', { headers: { 'content-range': `bytes */${bytes.length}` } });
	}
	return {
		status: 206,
		text: bytes.subarray(start, end + 1).toString('utf8'),
		contentType: 'text/plain; charset=utf-8',
		headers: { 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'accept-ranges': 'bytes' },
	};
}

export const pipelineRouteDefinitions: RouteDefinition[] = [
	{ method: 'GET', path: `${R}/pipelines`, scopes: SCOPES.readPipeline, access: 'repository', handle: listPipelines },
	{ method: 'POST', path: `${R}/pipelines`, scopes: SCOPES.writePipeline, access: 'repository', handle: triggerPipeline },
	{
		method: 'GET',
		path: `${R}/pipelines/:pipeline_uuid`,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pipeline } = pipelineOf(ctx);
			return json(200, pipelineView(ctx.links, repo, pipeline));
		},
	},
	{ method: 'POST', path: `${R}/pipelines/:pipeline_uuid/stopPipeline`, scopes: SCOPES.writePipelineOnly, access: 'repository', handle: stopPipeline },
	{
		method: 'GET',
		path: `${R}/pipelines/:pipeline_uuid/steps`,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pipeline } = pipelineOf(ctx);
			return json(200, paginate(ctx, pipeline.steps, (s) => stepView(ctx.links, repo, pipeline, s)));
		},
	},
	{
		method: 'GET',
		path: `${R}/pipelines/:pipeline_uuid/steps/:step_uuid`,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const { repo, pipeline, step } = stepOf(ctx);
			return json(200, stepView(ctx.links, repo, pipeline, step));
		},
	},
	{ method: 'GET', path: `${R}/pipelines/:pipeline_uuid/steps/:step_uuid/log`, scopes: SCOPES.readPipeline, access: 'repository', handle: stepLog },
];
