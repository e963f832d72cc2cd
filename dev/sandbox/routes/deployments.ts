import { json, type RouteDefinition } from '../context';
import { href, type Links } from '../links';
import type { DeploymentRecord, EnvironmentRecord, RepositoryRecord } from '../model';
import { paginate } from '../pagination';
import { commitRefView, type Json } from '../views';
import { R, repositoryOf, SCOPES } from './common';

function environmentView(links: Links, repo: RepositoryRecord, env: EnvironmentRecord): Json {
	return {
		type: 'deployment_environment',
		uuid: env.uuid,
		name: env.name,
		slug: env.slug,
		rank: env.rank,
		environment_type: { type: 'deployment_environment_type', name: env.environment_type, rank: env.rank },
		deployment_gate_enabled: false,
		lock: { type: 'deployment_environment_lock_open', name: 'OPEN' },
		restrictions: { type: 'deployment_restrictions_configuration', admin_only: env.environment_type === 'Production' },
		hidden: false,
		links: { self: href(links.repoApi(repo, 'environments', env.uuid)) },
	};
}

function deploymentView(links: Links, repo: RepositoryRecord, d: DeploymentRecord): Json {
	const state: Json =
		d.state === 'COMPLETED'
			? {
					type: 'deployment_state_completed',
					name: 'COMPLETED',
					status: { type: `deployment_state_completed_status_${(d.result ?? 'SUCCESSFUL').toLowerCase()}`, name: d.result ?? 'SUCCESSFUL' },
					completion_date: d.deployed_on,
				}
			: { type: 'deployment_state_in_progress', name: 'IN_PROGRESS' };
	return {
		type: 'deployment',
		uuid: d.uuid,
		state,
		environment: { type: 'deployment_environment', uuid: d.environment.uuid },
		release: {
			type: 'deployment_release',
			uuid: d.release.uuid,
			name: d.release.name,
			url: `${links.repoHtml(repo, 'pipelines', 'results', d.release.name.replace('#', ''))}`,
			commit: commitRefView(links, repo, d.release.commit),
			created_on: d.release.created_on,
		},
		deployable: {
			type: 'deployment_deployable',
			uuid: d.release.uuid,
			name: d.release.name,
			pipeline: { type: 'pipeline', uuid: d.release.pipelineUuid },
			commit: commitRefView(links, repo, d.release.commit),
			created_on: d.release.created_on,
		},
	};
}

export const deploymentRouteDefinitions: RouteDefinition[] = [
	{
		method: 'GET',
		path: `${R}/deployments`,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			return json(200, paginate(ctx, repo.deployments, (d) => deploymentView(ctx.links, repo, d)));
		},
	},
	{
		method: 'GET',
		path: `${R}/environments`,
		scopes: SCOPES.readPipeline,
		access: 'repository',
		handle: (ctx) => {
			const repo = repositoryOf(ctx);
			return json(200, paginate(ctx, repo.environments, (e) => environmentView(ctx.links, repo, e)));
		},
	},
];
