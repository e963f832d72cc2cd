/**
 * Changes made to the sandbox from outside the API, as a test (or the demo's control endpoints) needs them
 * between two polls or two deliveries: pull requests updated (several at one same timestamp), commits pushed to a
 * branch, a pipeline that finishes. Each returns the webhook events Bitbucket would fire, for the dispatcher.
 */
import { pushChange, pushEvent, type HookEvent } from './events';
import { Links } from './links';
import type { AccountRecord, BuildStatusRecord, CommitRecord, PipelineResult, RepositoryRecord, SandboxState } from './model';
import { hashOf } from './prng';
import { pullRequestView } from './routes/pullrequest-views';
import { isoTimestamp } from './time';
import { accountView, buildStatusView, repositoryView } from './views';

export class SandboxChangeError extends Error {}

function repoOf(state: SandboxState, workspace: string, repo: string): RepositoryRecord {
	const record = state.repo(workspace, repo);
	if (!record) throw new SandboxChangeError(`No repository ${workspace}/${repo}`);
	return record;
}

function actorOf(state: SandboxState): AccountRecord {
	const user = state.user('axion-dev');
	if (!user) throw new SandboxChangeError('The seed has no axion-dev account');
	return user;
}

/**
 * Pull requests updated at one moment: every one gets the same `updated_on` (`at`, or one fresh timestamp), as
 * happens when Bitbucket updates several in one transaction. Fires pullrequest:updated for each.
 */
export function touchPullRequests(
	state: SandboxState,
	origin: string,
	target: { workspace: string; repo: string; ids: number[]; at?: string; title?: string },
): { updatedOn: string; events: HookEvent[] } {
	const repo = repoOf(state, target.workspace, target.repo);
	const updatedOn = target.at ? isoTimestamp(Date.parse(target.at)) : state.clock.now();
	const links = Links.for(origin);
	const actor = actorOf(state);
	const events: HookEvent[] = [];
	for (const id of target.ids) {
		const pr = state.pullRequest(repo, id);
		if (!pr) throw new SandboxChangeError(`No pull request #${id} in ${repo.full_name}`);
		pr.updated_on = updatedOn;
		if (target.title !== undefined) pr.title = target.title;
		events.push({
			key: 'pullrequest:updated',
			repo,
			payload: { actor: accountView(links, actor), repository: repositoryView(links, repo), pullrequest: pullRequestView(links, repo, pr) },
		});
	}
	state.touch();
	return { updatedOn, events };
}

/** `count` new commits on a branch (newest last), as a `git push`: fires one repo:push with the change. */
export function pushCommits(
	state: SandboxState,
	origin: string,
	target: { workspace: string; repo: string; branch: string; count: number; message?: string },
): { commits: CommitRecord[]; events: HookEvent[] } {
	const repo = repoOf(state, target.workspace, target.repo);
	const branch = state.branch(repo, target.branch);
	if (!branch) throw new SandboxChangeError(`No branch ${target.branch} in ${repo.full_name}`);
	const before = branch.target;
	const author = actorOf(state);
	const commits: CommitRecord[] = [];
	let parent = before;
	for (let i = 0; i < target.count; i++) {
		const commit: CommitRecord = {
			hash: hashOf(`${repo.full_name}:push:${target.branch}:${state.nextSerial()}`),
			date: state.clock.now(),
			message: `${target.message ?? 'Pushed change'} ${i + 1}\n`,
			author,
			parents: [parent.hash],
			files: [{ path: `src/change-${state.nextSerial()}.ts`, status: 'added', lines_added: 3, lines_removed: 0 }],
		};
		state.addCommit(repo, commit);
		commits.push(commit);
		parent = commit;
	}
	branch.target = parent;
	repo.updated_on = state.clock.now();
	state.touch();
	const links = Links.for(origin);
	const newestFirst = [...commits].reverse();
	const change = pushChange(links, repo, 'branch', target.branch, before, parent, newestFirst);
	return { commits, events: [pushEvent({ links, principal: { kind: 'apiToken', user: author, scopes: [] } }, repo, [change])] };
}

/**
 * A pipeline finishes: COMPLETED with a result, its steps too, and Bitbucket Pipelines reports it as a build status
 * on the commit (created the first time, updated afterwards), which fires repo:commit_status_created/updated.
 */
export function completePipeline(
	state: SandboxState,
	origin: string,
	target: { workspace: string; repo: string; buildNumber: number; result: PipelineResult },
): HookEvent[] {
	const repo = repoOf(state, target.workspace, target.repo);
	const pipeline = repo.pipelines.find((p) => p.build_number === target.buildNumber);
	if (!pipeline) throw new SandboxChangeError(`No pipeline #${target.buildNumber} in ${repo.full_name}`);
	const now = state.clock.now();
	pipeline.state = { name: 'COMPLETED', result: target.result };
	pipeline.completed_on = now;
	for (const step of pipeline.steps) {
		step.state = { name: 'COMPLETED', result: target.result };
		step.completed_on = now;
	}
	const key = `pipeline-${pipeline.uuid}`;
	const existing = repo.statuses.find((s) => s.commit === pipeline.target.commit.hash && s.key === key);
	const status: BuildStatusRecord = {
		key,
		commit: pipeline.target.commit.hash,
		refname: pipeline.target.ref_name,
		url: `https://bitbucket.org/${repo.full_name}/pipelines/results/${pipeline.build_number}`,
		state: target.result === 'SUCCESSFUL' ? 'SUCCESSFUL' : target.result === 'STOPPED' ? 'STOPPED' : 'FAILED',
		name: `Pipeline #${pipeline.build_number} for ${pipeline.target.ref_name ?? pipeline.target.commit.hash.slice(0, 7)}`,
		description: `Pipeline ${target.result.toLowerCase()}`,
		created_on: existing?.created_on ?? now,
		updated_on: now,
	};
	if (existing) repo.statuses.splice(repo.statuses.indexOf(existing), 1, status);
	else repo.statuses.push(status);
	state.touch();
	const links = Links.for(origin);
	const actor = pipeline.creator;
	return [
		{
			key: existing ? 'repo:commit_status_updated' : 'repo:commit_status_created',
			repo,
			payload: {
				actor: accountView(links, actor),
				repository: repositoryView(links, repo),
				commit_status: buildStatusView(links, repo, status),
			},
		},
	];
}

/** Timestamp helper for tests: an ISO instant `seconds` from now, in Bitbucket's format. */
export function bitbucketTime(ms: number): string {
	return isoTimestamp(ms);
}
