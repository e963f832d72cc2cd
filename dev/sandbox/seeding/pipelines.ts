import type {
	AccountRecord,
	CommitRecord,
	EnvironmentRecord,
	PipelineRecord,
	PipelineResult,
	PipelineStateRecord,
	RepositoryRecord,
	StepRecord,
} from '../model';
import { uuidOf } from '../prng';
import { seedTime } from '../time';

export function stepLog(step: string, commands: string[], result: PipelineResult | null): string {
	const lines = [`+ umask 000`, `+ git clone --branch="main" --depth 50 https://x-token-auth:$REPOSITORY_OAUTH_ACCESS_TOKEN@bitbucket.org/$BITBUCKET_REPO_FULL_NAME.git $BUILD_DIR`];
	for (const command of commands) {
		lines.push(`+ ${command}`);
		if (command.startsWith('npm ci')) lines.push('added 812 packages, and audited 813 packages in 14s');
		if (command.startsWith('npm test')) lines.push('Tests:       212 passed, 212 total');
	}
	if (result === 'FAILED') lines.push(`Step "${step}" failed: process exited with code 1`);
	return `${lines.join('\n')}\n`;
}

export function pipelineSteps(pipelineKey: string, startMinute: number, state: PipelineStateRecord, deploy: boolean): StepRecord[] {
	const definitions: Array<{ name: string; script: string[] }> = [
		{ name: 'Build', script: ['npm ci', 'npm run build'] },
		{ name: 'Test', script: ['npm test'] },
	];
	if (deploy) definitions.push({ name: 'Deploy to staging', script: ['./scripts/deploy.sh staging'] });
	return definitions.map((d, index): StepRecord => {
		const started = startMinute + index * 4;
		let stepState: PipelineStateRecord;
		if (state.name === 'COMPLETED') {
			const failedHere = state.result === 'FAILED' && index === definitions.length - 1;
			stepState = { name: 'COMPLETED', result: failedHere ? 'FAILED' : state.result === 'STOPPED' && index > 0 ? 'STOPPED' : 'SUCCESSFUL' };
		} else if (state.name === 'IN_PROGRESS') {
			stepState = index === 0 ? { name: 'COMPLETED', result: 'SUCCESSFUL' } : index === 1 ? { name: 'IN_PROGRESS', result: null } : { name: 'PENDING', result: null };
		} else {
			stepState = { name: 'PENDING', result: null };
		}
		const ran = stepState.name !== 'PENDING';
		return {
			uuid: uuidOf(`${pipelineKey}:step:${index}`),
			name: d.name,
			started_on: ran ? seedTime(started) : null,
			completed_on: stepState.name === 'COMPLETED' ? seedTime(started + 3) : null,
			state: stepState,
			image: 'node:24',
			script: d.script,
			log: ran ? stepLog(d.name, d.script, stepState.result) : '',
		};
	});
}

export interface PipelineSeedContext {
	repo: RepositoryRecord;
	people: AccountRecord[];
	spanMinutes: number;
}

/** The last pipeline is PENDING and the one before it IN_PROGRESS; every 6th FAILED, every 13th STOPPED, the rest SUCCESSFUL. */
export function seedPipelines(ctx: PipelineSeedContext, count: number): void {
	const { repo } = ctx;
	const branchPool = ['main', 'develop', 'feat/user-export', 'feature/login-audit', 'release/2026.11'];
	for (let n = 1; n <= count; n++) {
		const branchName = branchPool[n % branchPool.length];
		const branch = repo.branches.find((b) => b.name === branchName) ?? repo.branches[0];
		const minute = ctx.spanMinutes * 0.1 + ((n - 1) * ctx.spanMinutes * 0.85) / Math.max(1, count);
		const state: PipelineStateRecord =
			n === count ? { name: 'PENDING', result: null }
			: n === count - 1 ? { name: 'IN_PROGRESS', result: null }
			: { name: 'COMPLETED', result: n % 13 === 0 ? 'STOPPED' : n % 6 === 0 ? 'FAILED' : 'SUCCESSFUL' };
		const manual = n % 4 === 0;
		const key = `${repo.full_name}:pipeline:${n}`;
		const pipeline: PipelineRecord = {
			uuid: uuidOf(key),
			build_number: n,
			creator: ctx.people[n % ctx.people.length],
			target: {
				type: 'pipeline_ref_target',
				ref_type: 'branch',
				ref_name: branch.name,
				commit: { hash: branch.target.hash },
				selector: manual ? { type: 'custom', pattern: 'deploy-to-staging' } : { type: 'branches', pattern: branch.name },
			},
			trigger: manual ? 'pipeline_trigger_manual' : 'pipeline_trigger_push',
			state,
			variables: [],
			created_on: seedTime(minute),
			completed_on: state.name === 'COMPLETED' ? seedTime(minute + 12) : null,
			build_seconds_used: state.name === 'COMPLETED' ? 180 + ((n * 37) % 400) : 0,
			steps: pipelineSteps(key, minute + 1, state, manual),
		};
		repo.pipelines.push(pipeline);
	}
}

export function seedEnvironments(repo: RepositoryRecord): EnvironmentRecord[] {
	const defs: Array<[string, EnvironmentRecord['environment_type']]> = [
		['Test', 'Test'],
		['Staging', 'Staging'],
		['Production', 'Production'],
	];
	repo.environments = defs.map(([name, type], rank) => ({
		uuid: uuidOf(`${repo.full_name}:environment:${name}`),
		name,
		slug: name.toLowerCase(),
		environment_type: type,
		rank,
		variables: [],
	}));
	return repo.environments;
}

/** Every successful pipeline on main deploys to Test; every manual successful one to Staging. */
export function seedDeployments(repo: RepositoryRecord, commits: Map<string, CommitRecord>): void {
	const [test, staging] = repo.environments;
	for (const p of repo.pipelines) {
		if (p.state.result !== 'SUCCESSFUL') continue;
		const environment = p.trigger === 'pipeline_trigger_manual' ? staging : p.target.ref_name === 'main' ? test : undefined;
		if (!environment || !commits.has(p.target.commit.hash)) continue;
		repo.deployments.push({
			uuid: uuidOf(`${repo.full_name}:deployment:${p.build_number}`),
			environment,
			release: {
				uuid: uuidOf(`${repo.full_name}:release:${p.build_number}`),
				name: `#${p.build_number}`,
				commit: p.target.commit.hash,
				created_on: p.created_on,
				pipelineUuid: p.uuid,
			},
			state: 'COMPLETED',
			result: 'SUCCESSFUL',
			deployed_on: p.completed_on ?? p.created_on,
		});
	}
}
