import { href, type Links } from '../links';
import type { PipelineRecord, PipelineStateRecord, RepositoryRecord, StepRecord } from '../model';
import { accountView, commitRefView, repositoryRefView, type Json } from '../views';

function pipelineStateView(state: PipelineStateRecord): Json {
	switch (state.name) {
		case 'COMPLETED': {
			const result = state.result ?? 'SUCCESSFUL';
			return { type: 'pipeline_state_completed', name: 'COMPLETED', result: { type: `pipeline_state_completed_${result.toLowerCase()}`, name: result } };
		}
		case 'IN_PROGRESS':
			return { type: 'pipeline_state_in_progress', name: 'IN_PROGRESS', stage: { type: 'pipeline_state_in_progress_running', name: 'RUNNING' } };
		case 'PENDING':
			return { type: 'pipeline_state_pending', name: 'PENDING' };
	}
}

function stepStateView(state: PipelineStateRecord): Json {
	switch (state.name) {
		case 'COMPLETED': {
			const result = state.result ?? 'SUCCESSFUL';
			return { type: 'pipeline_step_state_completed', name: 'COMPLETED', result: { type: `pipeline_step_state_completed_${result.toLowerCase()}`, name: result } };
		}
		case 'IN_PROGRESS':
			return { type: 'pipeline_step_state_in_progress', name: 'IN_PROGRESS' };
		case 'PENDING':
			return { type: 'pipeline_step_state_pending', name: 'PENDING' };
	}
}

export function pipelineView(links: Links, repo: RepositoryRecord, p: PipelineRecord): Json {
	const target: Json = { type: p.target.type, commit: commitRefView(links, repo, p.target.commit.hash) };
	if (p.target.ref_type) target['ref_type'] = p.target.ref_type;
	if (p.target.ref_name) target['ref_name'] = p.target.ref_name;
	if (p.target.selector) target['selector'] = { type: p.target.selector.type, ...(p.target.selector.pattern ? { pattern: p.target.selector.pattern } : {}) };
	return {
		type: 'pipeline',
		uuid: p.uuid,
		build_number: p.build_number,
		run_number: 1,
		creator: accountView(links, p.creator),
		repository: repositoryRefView(links, repo),
		target,
		trigger: p.trigger === 'pipeline_trigger_manual' ? { type: 'pipeline_trigger_manual', name: 'MANUAL' } : { type: 'pipeline_trigger_push', name: 'PUSH' },
		state: pipelineStateView(p.state),
		// Secured variables never come back with their value.
		variables: p.variables.map((v) => (v.secured ? { type: 'pipeline_variable', uuid: v.uuid, key: v.key, secured: true } : { type: 'pipeline_variable', uuid: v.uuid, key: v.key, value: v.value, secured: false })),
		created_on: p.created_on,
		completed_on: p.completed_on,
		build_seconds_used: p.build_seconds_used,
		links: {
			self: href(links.repoApi(repo, 'pipelines', p.uuid)),
			steps: href(links.repoApi(repo, 'pipelines', p.uuid, 'steps')),
		},
	};
}

export function stepView(links: Links, repo: RepositoryRecord, p: PipelineRecord, step: StepRecord): Json {
	const view: Json = {
		type: 'pipeline_step',
		uuid: step.uuid,
		name: step.name,
		pipeline: { type: 'pipeline', uuid: p.uuid },
		started_on: step.started_on,
		completed_on: step.completed_on,
		state: stepStateView(step.state),
		image: { name: step.image },
		setup_commands: [{ name: 'Clone', command: 'git clone' }],
		script_commands: step.script.map((command) => ({ name: command, command })),
		links: { self: href(links.repoApi(repo, 'pipelines', p.uuid, 'steps', step.uuid)) },
	};
	if (step.started_on && step.completed_on) view['duration_in_seconds'] = Math.round((Date.parse(step.completed_on) - Date.parse(step.started_on)) / 1000);
	return view;
}
