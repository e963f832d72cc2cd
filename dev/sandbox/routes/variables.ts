/**
 * Pipeline variables of a repository (`pipelines_config/variables`) and of a deployment environment
 * (`deployments_config/environments/{uuid}/variables`), as the spec describes them: a secured variable's value
 * is never sent back; a key used twice answers 409.
 */
import { json, noContent, type RouteContext, type RouteDefinition } from '../context';
import { ApiError, invalidFields, notFound } from '../errors';
import type { EnvironmentRecord, PipelineVariableRecord, RepositoryRecord } from '../model';
import { paginate } from '../pagination';
import { uuidOf } from '../prng';
import type { Json } from '../views';
import { objectBody, R, repositoryOf, SCOPES, type JsonObject } from './common';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Scope = { kind: 'repository'; list: PipelineVariableRecord[] } | { kind: 'deployment'; list: PipelineVariableRecord[] };

function variableView(scope: Scope, v: PipelineVariableRecord): Json {
	const view: Json = { type: scope.kind === 'repository' ? 'pipeline_variable' : 'deployment_variable', uuid: v.uuid, key: v.key, secured: v.secured };
	if (!v.secured) view.value = v.value;
	return view;
}

function sameUuid(a: string, b: string): boolean {
	const bare = (u: string) => u.replace(/^\{|\}$/g, '').toLowerCase();
	return bare(a) === bare(b);
}

function environmentOf(repo: RepositoryRecord, uuid: string): EnvironmentRecord {
	const environment = repo.environments.find((e) => sameUuid(e.uuid, uuid));
	if (!environment) throw notFound(`Environment ${uuid} not found.`);
	return environment;
}

function scopeOf(ctx: RouteContext): Scope {
	const repo = repositoryOf(ctx);
	const environment = ctx.params['environment_uuid'];
	return environment === undefined ? { kind: 'repository', list: repo.pipelineVariables } : { kind: 'deployment', list: environmentOf(repo, environment).variables };
}

function variableOf(scope: Scope, uuid: string): PipelineVariableRecord {
	const variable = scope.list.find((v) => sameUuid(v.uuid, uuid));
	if (!variable) throw notFound(`Variable ${uuid} not found.`);
	return variable;
}

function keyOf(body: JsonObject): string {
	const key = body['key'];
	if (typeof key !== 'string' || !KEY.test(key)) {
		throw invalidFields({ key: ['Variable names contain only letters, digits and underscores, and do not start with a digit.'] });
	}
	return key;
}

function valueOf(body: JsonObject): string {
	const value = body['value'];
	if (typeof value !== 'string') throw invalidFields({ value: ['This field is required.'] });
	return value;
}

function duplicateCheck(scope: Scope, key: string, except?: PipelineVariableRecord): void {
	if (scope.list.some((v) => v !== except && v.key === key)) {
		throw new ApiError(409, `A variable with the key ${key} already exists.`);
	}
}

const LIST = `${R}/pipelines_config/variables`;
const ONE = `${LIST}/:variable_uuid`;
const ENV_LIST = `${R}/deployments_config/environments/:environment_uuid/variables`;
const ENV_ONE = `${ENV_LIST}/:variable_uuid`;

const list = (ctx: RouteContext) => {
	const scope = scopeOf(ctx);
	return json(200, paginate(ctx, scope.list, (v) => variableView(scope, v)));
};

const create = (ctx: RouteContext) => {
	const scope = scopeOf(ctx);
	const body = objectBody(ctx);
	const key = keyOf(body);
	const value = valueOf(body);
	duplicateCheck(scope, key);
	const variable: PipelineVariableRecord = { uuid: uuidOf(`${ctx.rawPath}:${key}:${ctx.state.nextSerial()}`), key, value, secured: body['secured'] === true };
	scope.list.push(variable);
	return json(201, variableView(scope, variable), { headers: { location: `${ctx.links.origin}${ctx.rawPath.replace(/\/$/, '')}/${encodeURIComponent(variable.uuid)}` } });
};

const update = (ctx: RouteContext) => {
	const scope = scopeOf(ctx);
	const variable = variableOf(scope, ctx.params['variable_uuid']);
	const body = objectBody(ctx);
	if (body['key'] !== undefined) {
		const key = keyOf(body);
		duplicateCheck(scope, key, variable);
		variable.key = key;
	}
	if (body['value'] !== undefined) variable.value = valueOf(body);
	if (body['secured'] !== undefined) {
		if (typeof body['secured'] !== 'boolean') throw invalidFields({ secured: ['Must be a valid boolean.'] });
		variable.secured = body['secured'];
	}
	return json(200, variableView(scope, variable));
};

const remove = (ctx: RouteContext) => {
	const scope = scopeOf(ctx);
	const variable = variableOf(scope, ctx.params['variable_uuid']);
	scope.list.splice(scope.list.indexOf(variable), 1);
	return noContent();
};

export const variableRouteDefinitions: RouteDefinition[] = [
	{ method: 'GET', path: LIST, scopes: SCOPES.readPipeline, access: 'repository', handle: list },
	{ method: 'POST', path: LIST, scopes: SCOPES.adminPipeline, access: 'repository', handle: create },
	{
		method: 'GET',
		path: ONE,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const scope = scopeOf(ctx);
			return json(200, variableView(scope, variableOf(scope, ctx.params['variable_uuid'])));
		},
	},
	{ method: 'PUT', path: ONE, scopes: SCOPES.adminPipeline, access: 'repository', handle: update },
	{ method: 'DELETE', path: ONE, scopes: SCOPES.adminPipeline, access: 'repository', handle: remove },
	{ method: 'GET', path: ENV_LIST, scopes: SCOPES.readPipeline, access: 'repository', handle: list },
	{ method: 'POST', path: ENV_LIST, scopes: SCOPES.adminPipeline, access: 'repository', handle: create },
	{ method: 'PUT', path: ENV_ONE, scopes: SCOPES.adminPipeline, access: 'repository', handle: update },
	{ method: 'DELETE', path: ENV_ONE, scopes: SCOPES.adminPipeline, access: 'repository', handle: remove },
];
