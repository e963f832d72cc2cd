import { json, type RouteContext, type RouteDefinition } from '../context';
import { ApiError, badRequest, invalidFields } from '../errors';
import { changesBetween } from '../history';
import { href } from '../links';
import { MERGE_STRATEGIES, type AccountRecord, type MergeStrategy, type MergeTaskRecord, type PullRequestRecord, type RepositoryRecord, type SandboxState } from '../model';
import { bareUuidOf, hashOf } from '../prng';
import { isObject, optionalBoolean, optionalString, R, SCOPES } from './common';
import { pullRequestOf, pullRequestView } from './pullrequest-views';

interface MergeParameters {
	strategy: MergeStrategy;
	message: string | null;
	closeSourceBranch: boolean;
}

function mergeParameters(ctx: RouteContext, pr: PullRequestRecord): MergeParameters {
	if (ctx.body !== undefined && !isObject(ctx.body)) throw badRequest('Bad request', { detail: 'The request body must be a JSON object.' });
	const body = ctx.body ?? {};
	// `type` is required by the schema but its value is not checked (clients send "pullrequest" or the schema name).
	optionalString(body, 'type');
	const requested = optionalString(body, 'merge_strategy');
	const strategy = requested === undefined ? 'merge_commit' : MERGE_STRATEGIES.find((s) => s === requested);
	if (!strategy) throw invalidFields({ merge_strategy: [`"${requested}" is not a valid choice. Valid choices: ${MERGE_STRATEGIES.join(', ')}.`] });
	return {
		strategy,
		message: optionalString(body, 'message') ?? null,
		closeSourceBranch: optionalBoolean(body, 'close_source_branch') ?? pr.close_source_branch,
	};
}

/** Performs the merge: a new commit on the destination branch (or a fast-forward), the PR becomes MERGED. */
export function completeMerge(state: SandboxState, repo: RepositoryRecord, pr: PullRequestRecord, params: MergeParameters, user: AccountRecord): void {
	const destination = state.branch(repo, pr.destination.branch.name);
	const source = state.commit(repo, pr.source.commit.hash);
	if (!destination || !source) throw new ApiError(409, 'Unable to merge because one of the refs involved changed while attempting to merge.');
	const now = state.clock.now();
	let mergeCommit = source;
	if (params.strategy !== 'fast_forward') {
		const twoParents = params.strategy === 'merge_commit' || params.strategy === 'rebase_merge';
		mergeCommit = {
			hash: hashOf(`${repo.full_name}:merge:${pr.id}:${state.nextSerial()}`),
			date: now,
			message: params.message ?? `Merged in ${pr.source.branch.name} (pull request #${pr.id})\n\n${pr.title}`,
			author: user,
			parents: twoParents ? [destination.target.hash, source.hash] : [destination.target.hash],
			files: changesBetween(state, repo, source, destination.target),
		};
		state.addCommit(repo, mergeCommit);
	}
	destination.target = mergeCommit;
	pr.state = 'MERGED';
	pr.queued = false;
	pr.merge_commit = { hash: mergeCommit.hash };
	pr.closed_by = user;
	pr.close_source_branch = params.closeSourceBranch;
	pr.updated_on = now;
	pr.activity.push({ kind: 'update', date: now, user, state: 'MERGED', title: pr.title, description: pr.description, reason: '' });
	if (params.closeSourceBranch && pr.source.branch.name !== repo.mainbranch.name) {
		const index = repo.branches.findIndex((b) => b.name === pr.source.branch.name);
		if (index >= 0) repo.branches.splice(index, 1);
	}
	repo.updated_on = now;
}

function taskLocation(ctx: RouteContext, repo: RepositoryRecord, task: MergeTaskRecord): string {
	return ctx.links.repoApi(repo, 'pullrequests', task.pullRequestId, 'merge', 'task-status', task.id);
}

function merge(ctx: RouteContext): ReturnType<RouteDefinition['handle']> {
	const { repo, pr } = pullRequestOf(ctx);
	const pending = repo.mergeTasks.find((t) => t.pullRequestId === pr.id && t.status === 'PENDING');
	if (pending) return { status: 202, headers: { location: taskLocation(ctx, repo, pending) } };
	if (pr.state !== 'OPEN') throw badRequest(`You can't merge a pull request that is ${pr.state.toLowerCase()}.`, { detail: `Pull request #${pr.id} is ${pr.state}.` });
	if (pr.draft) throw badRequest('Draft pull requests cannot be merged. Mark the pull request as ready for review first.');
	const params = mergeParameters(ctx, pr);
	// Sandbox rule: PRs whose id is divisible by 5 (or ?async=true) merge asynchronously: 202 + Location to poll.
	if (pr.asyncMerge || ctx.query.boolean('async') === true) {
		const task: MergeTaskRecord = {
			id: bareUuidOf(`merge-task:${repo.full_name}:${pr.id}:${ctx.state.nextSerial()}`),
			pullRequestId: pr.id,
			polls: 0,
			status: 'PENDING',
			user: ctx.principal.user,
			strategy: params.strategy,
			message: params.message,
			closeSourceBranch: params.closeSourceBranch,
		};
		repo.mergeTasks.push(task);
		pr.queued = true;
		return { status: 202, headers: { location: taskLocation(ctx, repo, task) } };
	}
	completeMerge(ctx.state, repo, pr, params, ctx.principal.user);
	return json(200, pullRequestView(ctx.links, repo, pr));
}

/** The first polls answer PENDING (state.mergePendingPolls, default 2); the next completes the merge: SUCCESS with merge_result. */
function taskStatus(ctx: RouteContext): ReturnType<RouteDefinition['handle']> {
	const { repo, pr } = pullRequestOf(ctx);
	const task = repo.mergeTasks.find((t) => t.id === ctx.params['task_id'] && t.pullRequestId === pr.id);
	if (!task) throw badRequest('The task ID does not relate to this pull request.');
	const self = { self: href(taskLocation(ctx, repo, task)) };
	task.polls += 1;
	if (task.status === 'PENDING' && task.polls <= ctx.state.mergePendingPolls) return json(200, { task_status: 'PENDING', links: self });
	if (task.status === 'PENDING') {
		if (pr.state !== 'OPEN') {
			pr.queued = false;
			throw new ApiError(409, 'Unable to merge because one of the refs involved changed while attempting to merge.');
		}
		completeMerge(ctx.state, repo, pr, { strategy: task.strategy, message: task.message, closeSourceBranch: task.closeSourceBranch }, task.user);
		task.status = 'SUCCESS';
	}
	return json(200, { task_status: 'SUCCESS', links: self, merge_result: pullRequestView(ctx.links, repo, pr) });
}

function decline(ctx: RouteContext): ReturnType<RouteDefinition['handle']> {
	const { repo, pr } = pullRequestOf(ctx);
	if (pr.state !== 'OPEN') throw badRequest(`You can't decline a pull request that is ${pr.state.toLowerCase()}.`);
	const now = ctx.state.clock.now();
	pr.state = 'DECLINED';
	pr.closed_by = ctx.principal.user;
	pr.updated_on = now;
	pr.queued = false;
	pr.activity.push({ kind: 'update', date: now, user: ctx.principal.user, state: 'DECLINED', title: pr.title, description: pr.description, reason: '' });
	return json(200, pullRequestView(ctx.links, repo, pr));
}

export const mergeRouteDefinitions: RouteDefinition[] = [
	{ method: 'POST', path: `${R}/pullrequests/:pull_request_id/merge`, scopes: SCOPES.writePr, access: 'repository', handle: merge },
	{ method: 'GET', path: `${R}/pullrequests/:pull_request_id/merge/task-status/:task_id`, scopes: SCOPES.readPr, access: 'repository', mutates: true, handle: taskStatus },
	{ method: 'POST', path: `${R}/pullrequests/:pull_request_id/decline`, scopes: SCOPES.writePr, access: 'repository', handle: decline },
];
