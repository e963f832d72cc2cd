/**
 * Pull requests. Quirks: list pages hold at most 50; approve, unapprove and request-changes are sent with no body
 * and no JSON content type; a merge may answer 202 with a task to poll.
 */
import { BitbucketApiError, BitbucketInputError, BitbucketTimeoutError } from '../errors';
import { positiveId, refName, repoPath, textArg, type RepoRef } from '../paths';
import { formatMs, responseHeader, type Query } from '../request';
import type { BitbucketObject, Comment, Commit, DiffStat, MergeStrategy, MergeTaskStatus, Participant, PullRequest, PullRequestState } from '../types';
import { accountRef } from './accounts';
import { PAGE_SIZE, ResourcePart, type ListOptions, type PageResult } from './part';

export const PULL_REQUEST_STATES: readonly PullRequestState[] = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];

export const MERGE_STRATEGIES: readonly MergeStrategy[] = [
	'merge_commit',
	'squash',
	'fast_forward',
	'squash_fast_forward',
	'rebase_fast_forward',
	'rebase_merge',
];

export interface CreatePullRequestInput {
	title: string;
	sourceBranch: string;
	/** Omitted → the repository's main branch (Bitbucket's default). */
	destinationBranch?: string;
	description?: string;
	/** Account UUIDs (`{…}`) or Atlassian account IDs. */
	reviewers?: string[];
	closeSourceBranch?: boolean;
	draft?: boolean;
}

export interface UpdatePullRequestInput {
	title?: string;
	description?: string;
	destinationBranch?: string;
	reviewers?: string[];
	closeSourceBranch?: boolean;
	draft?: boolean;
}

export interface MergeInput {
	strategy?: MergeStrategy;
	message?: string;
	closeSourceBranch?: boolean;
}

export interface MergeWait {
	/** How long to wait for a 202 merge task. Default: the client's mergeTimeoutMs (120 s). */
	timeoutMs?: number;
}

export interface PullRequestListOptions extends ListOptions {
	states?: PullRequestState[];
	q?: string;
	sort?: string;
}

export class PullRequestsPart extends ResourcePart {
	constructor(
		http: ConstructorParameters<typeof ResourcePart>[0],
		private readonly merging: { pollIntervalMs: number; timeoutMs: number },
	) {
		super(http);
	}

	async list(ref: RepoRef, options: PullRequestListOptions = {}): Promise<PullRequest[]> {
		return await this.collect<PullRequest>(repoPath(ref, 'pullrequests'), PAGE_SIZE.pullRequests, options, listQuery(options), (pr) => pr.id);
	}

	/** One page of pull requests, for a searchable list. */
	async page(ref: RepoRef, options: Omit<PullRequestListOptions, 'limit' | 'maxPages'> & { pagelen?: number } = {}, next?: string): Promise<PageResult<PullRequest>> {
		const query: Query = { ...listQuery(options), pagelen: Math.min(options.pagelen ?? PAGE_SIZE.pullRequests, PAGE_SIZE.pullRequests), fields: options.fields };
		return await this.onePage<PullRequest>(repoPath(ref, 'pullrequests'), query, next);
	}

	async get(ref: RepoRef, id: number | string, fields?: string): Promise<PullRequest> {
		return await this.fetchOne<PullRequest>(prPath(ref, id), { fields });
	}

	async create(ref: RepoRef, input: CreatePullRequestInput, fields?: string): Promise<PullRequest> {
		const body: Record<string, unknown> = {
			title: textArg(input.title, 'title', 'Title'),
			source: { branch: { name: refName(input.sourceBranch, 'sourceBranch', 'Source branch') } },
		};
		if (input.destinationBranch) {
			body.destination = { branch: { name: refName(input.destinationBranch, 'destinationBranch', 'Destination branch') } };
		}
		if (input.description !== undefined) body.description = textArg(input.description, 'description', 'Description', { optional: true, trim: false });
		if (input.reviewers?.length) body.reviewers = reviewerRefs(input.reviewers);
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		if (input.draft !== undefined) body.draft = input.draft;
		return (await this.http.request<PullRequest>({ method: 'POST', path: repoPath(ref, 'pullrequests'), query: { fields }, body })).body;
	}

	/** PUT with only the given fields. */
	async update(ref: RepoRef, id: number | string, input: UpdatePullRequestInput, fields?: string): Promise<PullRequest> {
		const body: Record<string, unknown> = {};
		if (input.title !== undefined) body.title = textArg(input.title, 'title', 'Title');
		if (input.description !== undefined) body.description = textArg(input.description, 'description', 'Description', { optional: true, trim: false });
		if (input.destinationBranch) {
			body.destination = { branch: { name: refName(input.destinationBranch, 'destinationBranch', 'Destination branch') } };
		}
		if (input.reviewers) body.reviewers = reviewerRefs(input.reviewers);
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		if (input.draft !== undefined) body.draft = input.draft;
		if (Object.keys(body).length === 0) throw new BitbucketInputError('Nothing to update: set at least one field', 'input');
		return (await this.http.request<PullRequest>({ method: 'PUT', path: prPath(ref, id), query: { fields }, body })).body;
	}

	/** Approve is sent with no body and no JSON content type: Bitbucket answers 400 otherwise. */
	async approve(ref: RepoRef, id: number | string): Promise<Participant> {
		return await this.write<Participant>('POST', prPath(ref, id, 'approve'));
	}

	async unapprove(ref: RepoRef, id: number | string): Promise<void> {
		await this.write('DELETE', prPath(ref, id, 'approve'));
	}

	async requestChanges(ref: RepoRef, id: number | string): Promise<Participant> {
		return await this.write<Participant>('POST', prPath(ref, id, 'request-changes'));
	}

	async removeChangeRequest(ref: RepoRef, id: number | string): Promise<void> {
		await this.write('DELETE', prPath(ref, id, 'request-changes'));
	}

	async decline(ref: RepoRef, id: number | string): Promise<PullRequest> {
		return await this.write<PullRequest>('POST', prPath(ref, id, 'decline'));
	}

	/**
	 * Merges a pull request. Bitbucket answers 200 with the merged PR, or 202 with a task to poll
	 * (`Location: …/merge/task-status/{id}`): this waits for it, the whole timeout, with a last poll at the deadline.
	 */
	async merge(ref: RepoRef, id: number | string, input: MergeInput = {}, wait: MergeWait = {}): Promise<PullRequest> {
		const timeoutMs = wait.timeoutMs ?? this.merging.timeoutMs;
		if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
			throw new BitbucketInputError(`The merge timeout must be a number of milliseconds ≥ 0, got ${String(timeoutMs)}`, 'timeoutMs');
		}
		if (input.strategy !== undefined && !MERGE_STRATEGIES.includes(input.strategy)) {
			throw new BitbucketInputError(`Unknown merge strategy "${String(input.strategy)}" (use ${MERGE_STRATEGIES.join(', ')})`, 'strategy');
		}
		const body: Record<string, unknown> = { type: 'pullrequest' };
		if (input.strategy) body.merge_strategy = input.strategy;
		if (input.message) body.message = textArg(input.message, 'message', 'Merge message', { trim: false });
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		const response = await this.http.request<PullRequest | MergeTaskStatus>({ method: 'POST', path: prPath(ref, id, 'merge'), body });
		if (response.status !== 202) return response.body as PullRequest;

		const locationHeader = responseHeader(response.headers, 'location');
		const location = Array.isArray(locationHeader) ? locationHeader[0] : locationHeader;
		if (!location) return await this.get(ref, id);
		const taskUrl = this.http.url({ url: location, relativeTo: response.url }, 'location');
		const started = this.http.now();
		const deadline = started + timeoutMs;
		for (;;) {
			const { body: task } = await this.http.request<MergeTaskStatus>({ url: taskUrl });
			if (task?.task_status === 'SUCCESS') return task.merge_result ?? (await this.get(ref, id));
			if (task && task.task_status !== 'PENDING') {
				throw new BitbucketApiError(`Bitbucket could not merge pull request #${id}: task ended as ${task.task_status}`, 409, {
					method: 'GET',
					url: this.http.redact(taskUrl),
					attempts: 1,
					body: task,
				});
			}
			const remaining = deadline - this.http.now();
			if (remaining <= 0) {
				throw new BitbucketTimeoutError(
					`Pull request #${id}: Bitbucket accepted the merge (202) but it was still pending after ${formatMs(this.http.now() - started)} of polling (Wait Timeout ${formatMs(timeoutMs)}). It may still complete: check the pull request before merging again.`,
				);
			}
			await this.http.sleep(Math.min(this.merging.pollIntervalMs, remaining));
		}
	}

	async listCommits(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<Commit[]> {
		return await this.collect<Commit>(prPath(ref, id, 'commits'), PAGE_SIZE.pullRequests, options, {});
	}

	async diffstat(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<DiffStat[]> {
		return await this.collect<DiffStat>(prPath(ref, id, 'diffstat'), PAGE_SIZE.diffstat, options, {});
	}

	async activity(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<BitbucketObject[]> {
		return await this.collect<BitbucketObject>(prPath(ref, id, 'activity'), PAGE_SIZE.pullRequests, options, {});
	}

	async listComments(ref: RepoRef, id: number | string, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Comment[]> {
		return await this.collect<Comment>(prPath(ref, id, 'comments'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	async addComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		const raw = textArg(text, 'text', 'Comment text', { trim: false });
		return await this.write<Comment>('POST', prPath(ref, id, 'comments'), { content: { raw } });
	}
}

function listQuery(options: { states?: PullRequestState[]; q?: string; sort?: string }): Query {
	const states = options.states ?? [];
	if (!Array.isArray(states)) throw new BitbucketInputError('States must be a list (OPEN, MERGED, DECLINED, SUPERSEDED)', 'states');
	for (const state of states) {
		if (!PULL_REQUEST_STATES.includes(state)) {
			throw new BitbucketInputError(`Unknown pull request state "${String(state)}" (use ${PULL_REQUEST_STATES.join(', ')})`, 'states');
		}
	}
	return { state: states.length ? states : undefined, q: options.q, sort: options.sort };
}

function reviewerRefs(reviewers: unknown): Array<{ uuid: string } | { account_id: string }> {
	if (!Array.isArray(reviewers)) throw new BitbucketInputError('Reviewers must be a list of account IDs or {uuid}s', 'reviewers');
	return reviewers.map((r) => accountRef(r, 'reviewers'));
}

export function prPath(ref: RepoRef, id: number | string, ...rest: string[]): string {
	return repoPath(ref, 'pullrequests', positiveId(id, 'id', 'Pull request ID'), ...rest);
}
