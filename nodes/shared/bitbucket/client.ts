/**
 * A typed Bitbucket Cloud client. It knows paths, bodies, page sizes and endpoint quirks (no-body approve,
 * 202 merges, the retiring issue tracker); everything about HTTP itself lives in the request layer.
 */
import { authorizationHeader, normalizeBaseUrl, secretsOf, type BitbucketAuth } from './auth';
import { BitbucketApiError, BitbucketInputError, BitbucketTimeoutError } from './errors';
import {
	commitHash,
	path,
	positiveId,
	refName,
	repoPath,
	textArg,
	uuid,
	workspaceId,
	type RepoRef,
} from './paths';
import { RequestLayer, formatMs, responseHeader, type Query, type RequestLayerOptions } from './request';
import type { RetryOptions } from './retry';
import { httpTransport, type HttpMethod } from './transport';
import type {
	Account,
	BuildState,
	BuildStatus,
	Comment,
	Commit,
	DiffStat,
	Issue,
	MergeStrategy,
	MergeTaskStatus,
	Participant,
	Pipeline,
	PipelineStep,
	PipelineTarget,
	PipelineVariable,
	PullRequest,
	PullRequestState,
	Ref,
	Repository,
	Webhook,
	WorkspaceAccess,
	BitbucketObject,
} from './types';

/** The largest `pagelen` each kind of collection accepts. */
export const PAGE_SIZE = {
	default: 100,
	pullRequests: 50,
	diffstat: 5000,
} as const;

export interface ListOptions {
	/** Stop after exactly this many items (undefined: all). */
	limit?: number;
	/** Fail instead of fetching more than this many pages. */
	maxPages?: number;
	/** Bitbucket partial-response selection (`values.id,values.title`); `next` is added when needed. */
	fields?: string;
}

export interface ClientOptions {
	/** How often to poll a 202 merge task. Default 2 000 ms. */
	mergePollIntervalMs?: number;
	/** How long to wait for a 202 merge task before failing. Default 120 000 ms. */
	mergeTimeoutMs?: number;
	sleep?: (ms: number) => Promise<void>;
	/** Clock for the merge timeout (tests). */
	now?: () => number;
}

export const PULL_REQUEST_STATES: readonly PullRequestState[] = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'];

export const MERGE_STRATEGIES: readonly MergeStrategy[] = [
	'merge_commit',
	'squash',
	'fast_forward',
	'squash_fast_forward',
	'rebase_fast_forward',
	'rebase_merge',
];

export const BUILD_STATES: readonly BuildState[] = ['SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'];

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

export interface CreateIssueInput {
	title: string;
	content?: string;
	kind?: string;
	priority?: string;
	/** Account UUID or account ID. */
	assignee?: string;
	state?: string;
}

export interface WebhookInput {
	url: string;
	description?: string;
	events: string[];
	active?: boolean;
	secret?: string;
}

export type WebhookScope = { workspace: string; repo?: string };

const ISSUE_KINDS = ['bug', 'enhancement', 'proposal', 'task'];
const ISSUE_PRIORITIES = ['trivial', 'minor', 'major', 'critical', 'blocker'];
const ISSUE_TRACKER_GONE = 'The issue tracker is not enabled for this repository (Bitbucket is retiring it)';

export class BitbucketClient {
	private readonly mergePollIntervalMs: number;

	private readonly mergeTimeoutMs: number;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly now: () => number;

	constructor(
		readonly http: RequestLayer,
		options: ClientOptions = {},
	) {
		this.mergePollIntervalMs = options.mergePollIntervalMs ?? 2_000;
		this.mergeTimeoutMs = options.mergeTimeoutMs ?? 120_000;
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		this.now = options.now ?? Date.now;
	}

	/** A client outside n8n (CLI, scripts): signs requests itself with fetch. */
	static withAuth(
		auth: BitbucketAuth,
		options: { baseUrl?: string; retry?: Partial<RetryOptions>; onRetry?: RequestLayerOptions['onRetry'] } & ClientOptions = {},
	): BitbucketClient {
		const authorization = authorizationHeader(auth);
		const http = new RequestLayer({
			baseUrl: normalizeBaseUrl(options.baseUrl),
			transport: httpTransport({ authorization }),
			retry: options.retry,
			secrets: [...secretsOf(auth), authorization],
			onRetry: options.onRetry,
		});
		return new BitbucketClient(http, options);
	}

	// ── account and workspaces ─────────────────────────────────────────────

	async getCurrentUser(): Promise<Account> {
		return await this.get<Account>('/user');
	}

	/** The caller's workspaces (`/user/workspaces`; the old `/workspaces` is gone). */
	async listWorkspaces(options: ListOptions & { q?: string; sort?: string } = {}): Promise<WorkspaceAccess[]> {
		return await this.list<WorkspaceAccess>('/user/workspaces', PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	// ── repositories ───────────────────────────────────────────────────────

	async listRepositories(
		workspace: string,
		options: ListOptions & { q?: string; role?: 'member' | 'contributor' | 'admin' | 'owner'; sort?: string } = {},
	): Promise<Repository[]> {
		return await this.list<Repository>(path('repositories', workspaceId(workspace)), PAGE_SIZE.default, options, {
			q: options.q,
			role: options.role,
			sort: options.sort,
		});
	}

	async getRepo(ref: RepoRef): Promise<Repository> {
		return await this.get<Repository>(repoPath(ref));
	}

	/** Creates a repository (Bitbucket answers 200). Without a project key it lands in the workspace's oldest project. */
	async createRepo(
		ref: RepoRef,
		input: { isPrivate?: boolean; projectKey?: string; description?: string; name?: string; mainBranch?: string } = {},
	): Promise<Repository> {
		const body: Record<string, unknown> = { scm: 'git', is_private: input.isPrivate ?? true };
		if (input.name) body.name = input.name;
		if (input.description) body.description = input.description;
		if (input.projectKey) body.project = { key: input.projectKey };
		if (input.mainBranch) body.mainbranch = { type: 'branch', name: refName(input.mainBranch, 'mainBranch', 'Main branch') };
		return await this.send<Repository>('POST', repoPath(ref), body);
	}

	// ── branches and tags ──────────────────────────────────────────────────

	async listBranches(ref: RepoRef, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Ref[]> {
		return await this.list<Ref>(repoPath(ref, 'refs', 'branches'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	async getBranch(ref: RepoRef, name: string): Promise<Ref> {
		return await this.get<Ref>(repoPath(ref, 'refs', 'branches', refName(name)));
	}

	/** Creates a branch at a commit, or at the current head of another branch (resolved first). */
	async createBranch(ref: RepoRef, name: string, from: { branch: string } | { commit: string }): Promise<Ref> {
		const branchName = refName(name, 'name', 'New branch name');
		const hash = 'commit' in from ? commitHash(from.commit, 'commit') : await this.headOf(ref, from.branch);
		return await this.send<Ref>('POST', repoPath(ref, 'refs', 'branches'), { name: branchName, target: { hash } });
	}

	async deleteBranch(ref: RepoRef, name: string): Promise<void> {
		await this.send('DELETE', repoPath(ref, 'refs', 'branches', refName(name)));
	}

	async listTags(ref: RepoRef, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Ref[]> {
		return await this.list<Ref>(repoPath(ref, 'refs', 'tags'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	async createTag(ref: RepoRef, name: string, commit: string, message?: string): Promise<Ref> {
		const body: Record<string, unknown> = {
			name: refName(name, 'name', 'Tag name'),
			target: { hash: commitHash(commit) },
		};
		if (message) body.message = message;
		return await this.send<Ref>('POST', repoPath(ref, 'refs', 'tags'), body);
	}

	async deleteTag(ref: RepoRef, name: string): Promise<void> {
		await this.send('DELETE', repoPath(ref, 'refs', 'tags', refName(name, 'tag', 'Tag name')));
	}

	// ── pull requests ──────────────────────────────────────────────────────

	async listPullRequests(
		ref: RepoRef,
		options: ListOptions & { states?: PullRequestState[]; q?: string; sort?: string } = {},
	): Promise<PullRequest[]> {
		for (const state of options.states ?? []) {
			if (!PULL_REQUEST_STATES.includes(state)) {
				throw new BitbucketInputError(`Unknown pull request state "${state}" (use ${PULL_REQUEST_STATES.join(', ')})`, 'state');
			}
		}
		return await this.list<PullRequest>(
			repoPath(ref, 'pullrequests'),
			PAGE_SIZE.pullRequests,
			{ ...options },
			{ state: options.states?.length ? options.states : undefined, q: options.q, sort: options.sort },
			(pr) => pr.id,
		);
	}

	async getPullRequest(ref: RepoRef, id: number | string, fields?: string): Promise<PullRequest> {
		return await this.get<PullRequest>(this.prPath(ref, id), { fields });
	}

	async createPullRequest(ref: RepoRef, input: CreatePullRequestInput): Promise<PullRequest> {
		const title = textArg(input.title, 'title', 'Title');
		const body: Record<string, unknown> = {
			title,
			source: { branch: { name: refName(input.sourceBranch, 'sourceBranch', 'Source branch') } },
		};
		if (input.destinationBranch) {
			body.destination = { branch: { name: refName(input.destinationBranch, 'destinationBranch', 'Destination branch') } };
		}
		if (input.description !== undefined) body.description = input.description;
		if (input.reviewers?.length) body.reviewers = input.reviewers.map(accountRef);
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		if (input.draft !== undefined) body.draft = input.draft;
		return await this.send<PullRequest>('POST', repoPath(ref, 'pullrequests'), body);
	}

	/** PUT with only the given fields. */
	async updatePullRequest(ref: RepoRef, id: number | string, input: UpdatePullRequestInput): Promise<PullRequest> {
		const body: Record<string, unknown> = {};
		if (input.title !== undefined) body.title = textArg(input.title, 'title', 'Title');
		if (input.description !== undefined) body.description = textArg(input.description, 'description', 'Description', { optional: true, trim: false });
		if (input.destinationBranch) {
			body.destination = { branch: { name: refName(input.destinationBranch, 'destinationBranch', 'Destination branch') } };
		}
		if (input.reviewers) body.reviewers = input.reviewers.map(accountRef);
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		if (input.draft !== undefined) body.draft = input.draft;
		if (Object.keys(body).length === 0) throw new BitbucketInputError('Nothing to update: set at least one field', 'updateFields');
		return await this.send<PullRequest>('PUT', this.prPath(ref, id), body);
	}

	/** Approve is sent with no body and no JSON content type: Bitbucket answers 400 otherwise. */
	async approvePullRequest(ref: RepoRef, id: number | string): Promise<Participant> {
		return await this.send<Participant>('POST', this.prPath(ref, id, 'approve'));
	}

	async unapprovePullRequest(ref: RepoRef, id: number | string): Promise<void> {
		await this.send('DELETE', this.prPath(ref, id, 'approve'));
	}

	async requestChanges(ref: RepoRef, id: number | string): Promise<Participant> {
		return await this.send<Participant>('POST', this.prPath(ref, id, 'request-changes'));
	}

	async removeChangeRequest(ref: RepoRef, id: number | string): Promise<void> {
		await this.send('DELETE', this.prPath(ref, id, 'request-changes'));
	}

	async declinePullRequest(ref: RepoRef, id: number | string): Promise<PullRequest> {
		return await this.send<PullRequest>('POST', this.prPath(ref, id, 'decline'));
	}

	/**
	 * Merges a pull request. Bitbucket answers 200 with the merged PR, or 202 with a task to poll
	 * (`Location: …/merge/task-status/{id}`): this waits for it, up to mergeTimeoutMs.
	 */
	async mergePullRequest(
		ref: RepoRef,
		id: number | string,
		input: MergeInput = {},
		wait: { timeoutMs?: number } = {},
	): Promise<PullRequest> {
		const timeoutMs = wait.timeoutMs ?? this.mergeTimeoutMs;
		if (input.strategy !== undefined && !MERGE_STRATEGIES.includes(input.strategy)) {
			throw new BitbucketInputError(`Unknown merge strategy "${input.strategy}" (use ${MERGE_STRATEGIES.join(', ')})`, 'mergeStrategy');
		}
		const body: Record<string, unknown> = { type: 'pullrequest' };
		if (input.strategy) body.merge_strategy = input.strategy;
		if (input.message) body.message = input.message;
		if (input.closeSourceBranch !== undefined) body.close_source_branch = input.closeSourceBranch;
		const response = await this.http.request<PullRequest | MergeTaskStatus>({
			method: 'POST',
			path: this.prPath(ref, id, 'merge'),
			body,
		});
		if (response.status !== 202) return response.body as PullRequest;

		const locationHeader = responseHeader(response.headers, 'location');
		const location = Array.isArray(locationHeader) ? locationHeader[0] : locationHeader;
		if (!location) return await this.getPullRequest(ref, id);
		const taskUrl = this.http.url({ url: location, relativeTo: response.url }, 'location');
		// The whole timeout is waited: the last poll happens at the deadline, not one interval before it.
		const started = this.now();
		const deadline = started + timeoutMs;
		for (;;) {
			const { body: task } = await this.http.request<MergeTaskStatus>({ url: taskUrl });
			if (task?.task_status === 'SUCCESS') return task.merge_result ?? (await this.getPullRequest(ref, id));
			if (task && task.task_status !== 'PENDING') {
				throw new BitbucketApiError(`Bitbucket could not merge pull request #${id}: task ended as ${task.task_status}`, 409, {
					method: 'GET',
					url: this.http.redact(taskUrl),
					attempts: 1,
					body: task,
				});
			}
			const remaining = deadline - this.now();
			if (remaining <= 0) {
				throw new BitbucketTimeoutError(
					`Pull request #${id}: Bitbucket accepted the merge (202) but it was still pending after ${formatMs(this.now() - started)} of polling (Wait Timeout ${formatMs(timeoutMs)}). It may still complete: check the pull request before merging again.`,
				);
			}
			await this.sleep(Math.min(this.mergePollIntervalMs, remaining));
		}
	}

	async listPullRequestCommits(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<Commit[]> {
		return await this.list<Commit>(this.prPath(ref, id, 'commits'), PAGE_SIZE.pullRequests, options, {});
	}

	async getPullRequestDiffstat(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<DiffStat[]> {
		return await this.list<DiffStat>(this.prPath(ref, id, 'diffstat'), PAGE_SIZE.diffstat, options, {});
	}

	async listPullRequestActivity(ref: RepoRef, id: number | string, options: ListOptions = {}): Promise<BitbucketObject[]> {
		return await this.list<BitbucketObject>(this.prPath(ref, id, 'activity'), PAGE_SIZE.pullRequests, options, {});
	}

	async listPullRequestComments(ref: RepoRef, id: number | string, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Comment[]> {
		return await this.list<Comment>(this.prPath(ref, id, 'comments'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort });
	}

	async addPullRequestComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		const raw = textArg(text, 'comment', 'Comment text', { trim: false });
		return await this.send<Comment>('POST', this.prPath(ref, id, 'comments'), { content: { raw } });
	}

	// ── pipelines ──────────────────────────────────────────────────────────

	/** Newest first by default. */
	async listPipelines(ref: RepoRef, options: ListOptions & { sort?: string; q?: string } = {}): Promise<Pipeline[]> {
		return await this.list<Pipeline>(repoPath(ref, 'pipelines'), PAGE_SIZE.default, options, {
			sort: options.sort ?? '-created_on',
			q: options.q,
		}, (p) => p.uuid);
	}

	async getPipeline(ref: RepoRef, pipelineUuid: string): Promise<Pipeline> {
		return await this.get<Pipeline>(repoPath(ref, 'pipelines', uuid(pipelineUuid, 'pipelineUuid', 'Pipeline UUID')));
	}

	/**
	 * Runs a pipeline. Variables are validated before anything is sent (field `variables`): a list of
	 * `{ key, value, secured }` with unique keys and text, number or true/false values.
	 */
	async triggerPipeline(ref: RepoRef, target: PipelineTarget, variables: readonly PipelineVariable[] = []): Promise<Pipeline> {
		const selector = target.pattern?.trim() ? { type: 'custom', pattern: target.pattern.trim() } : undefined;
		let bodyTarget: Record<string, unknown>;
		if (target.kind === 'commit') {
			bodyTarget = { type: 'pipeline_commit_target', commit: { type: 'commit', hash: commitHash(target.hash) } };
			if (target.branch) bodyTarget.ref_type = 'branch';
			if (target.branch) bodyTarget.ref_name = refName(target.branch);
		} else {
			bodyTarget = {
				type: 'pipeline_ref_target',
				ref_type: target.kind,
				ref_name: refName(target.name, target.kind, target.kind === 'tag' ? 'Tag name' : 'Branch name'),
			};
		}
		if (selector) bodyTarget.selector = selector;
		const vars = pipelineVariables(variables);
		const body: Record<string, unknown> = { target: bodyTarget };
		if (vars.length) body.variables = vars;
		return await this.send<Pipeline>('POST', repoPath(ref, 'pipelines'), body);
	}

	async stopPipeline(ref: RepoRef, pipelineUuid: string): Promise<void> {
		await this.send('POST', repoPath(ref, 'pipelines', uuid(pipelineUuid, 'pipelineUuid', 'Pipeline UUID'), 'stopPipeline'));
	}

	async listPipelineSteps(ref: RepoRef, pipelineUuid: string, options: ListOptions = {}): Promise<PipelineStep[]> {
		return await this.list<PipelineStep>(
			repoPath(ref, 'pipelines', uuid(pipelineUuid, 'pipelineUuid', 'Pipeline UUID'), 'steps'),
			PAGE_SIZE.default,
			options,
			{},
		);
	}

	async getPipelineStepLog(ref: RepoRef, pipelineUuid: string, stepUuid: string): Promise<string> {
		const response = await this.http.request<unknown>({
			path: repoPath(
				ref,
				'pipelines',
				uuid(pipelineUuid, 'pipelineUuid', 'Pipeline UUID'),
				'steps',
				uuid(stepUuid, 'stepUuid', 'Step UUID'),
				'log',
			),
			text: true,
		});
		return typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
	}

	// ── commits ────────────────────────────────────────────────────────────

	/** Commits reachable from `revision` (a branch or hash; default: all branches), newest first. */
	async listCommits(
		ref: RepoRef,
		options: ListOptions & { revision?: string; include?: string[]; exclude?: string[]; path?: string } = {},
	): Promise<Commit[]> {
		const base = options.revision
			? repoPath(ref, 'commits', refName(options.revision, 'revision', 'Branch or revision'))
			: repoPath(ref, 'commits');
		return await this.list<Commit>(base, PAGE_SIZE.default, options, {
			include: options.include?.length ? options.include : undefined,
			exclude: options.exclude?.length ? options.exclude : undefined,
			path: options.path,
		}, (c) => c.hash);
	}

	async getCommit(ref: RepoRef, hash: string): Promise<Commit> {
		return await this.get<Commit>(repoPath(ref, 'commit', commitHash(hash)));
	}

	async createBuildStatus(
		ref: RepoRef,
		hash: string,
		input: { key: string; state: BuildState; url: string; name?: string; description?: string },
	): Promise<BuildStatus> {
		if (!BUILD_STATES.includes(input.state)) {
			throw new BitbucketInputError(`Unknown build state "${input.state}" (use ${BUILD_STATES.join(', ')})`, 'state');
		}
		const key = textArg(input.key, 'key', 'Build key');
		if (!/^https?:\/\//.test(textArg(input.url, 'url', 'Build URL'))) throw new BitbucketInputError('Build URL must be an http(s) URL', 'url');
		const body: Record<string, unknown> = { key, state: input.state, url: input.url };
		if (input.name) body.name = input.name;
		if (input.description) body.description = input.description;
		return await this.send<BuildStatus>('POST', repoPath(ref, 'commit', commitHash(hash), 'statuses', 'build'), body);
	}

	async listBuildStatuses(ref: RepoRef, hash: string, options: ListOptions = {}): Promise<BuildStatus[]> {
		return await this.list<BuildStatus>(repoPath(ref, 'commit', commitHash(hash), 'statuses'), PAGE_SIZE.default, options, {});
	}

	// ── issues (deprecated tracker) ────────────────────────────────────────

	async listIssues(ref: RepoRef, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Issue[]> {
		return await this.issueTracker(() =>
			this.list<Issue>(repoPath(ref, 'issues'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort }, (i) => i.id),
		);
	}

	async getIssue(ref: RepoRef, id: number | string): Promise<Issue> {
		return await this.issueTracker(() => this.get<Issue>(repoPath(ref, 'issues', positiveId(id, 'issueId', 'Issue ID'))));
	}

	async createIssue(ref: RepoRef, input: CreateIssueInput): Promise<Issue> {
		const title = textArg(input.title, 'title', 'Title');
		return await this.issueTracker(() => this.send<Issue>('POST', repoPath(ref, 'issues'), { title, ...issueFields(input) }));
	}

	async updateIssue(ref: RepoRef, id: number | string, input: Partial<CreateIssueInput>): Promise<Issue> {
		const body: Record<string, unknown> = issueFields(input);
		if (input.title !== undefined) body.title = textArg(input.title, 'title', 'Title');
		if (Object.keys(body).length === 0) throw new BitbucketInputError('Nothing to update: set at least one field', 'updateFields');
		return await this.issueTracker(() =>
			this.send<Issue>('PUT', repoPath(ref, 'issues', positiveId(id, 'issueId', 'Issue ID')), body),
		);
	}

	async addIssueComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		const raw = textArg(text, 'comment', 'Comment text', { trim: false });
		return await this.issueTracker(() =>
			this.send<Comment>('POST', repoPath(ref, 'issues', positiveId(id, 'issueId', 'Issue ID'), 'comments'), {
				content: { raw },
			}),
		);
	}

	// ── webhooks, deployments ──────────────────────────────────────────────

	async listWebhooks(scope: WebhookScope, options: ListOptions = {}): Promise<Webhook[]> {
		return await this.list<Webhook>(this.hooksPath(scope), PAGE_SIZE.default, options, {});
	}

	/** The secret is sent to Bitbucket (which signs deliveries with X-Hub-Signature) and never returned. */
	async createWebhook(scope: WebhookScope, input: WebhookInput): Promise<Webhook> {
		let parsed: URL;
		try {
			parsed = new URL(input.url);
		} catch {
			throw new BitbucketInputError(`Webhook URL "${input.url}" is not a valid URL`, 'url');
		}
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
			throw new BitbucketInputError('Webhook URL must be http(s)', 'url');
		}
		if (!Array.isArray(input.events) || input.events.length === 0) throw new BitbucketInputError('Choose at least one event', 'events');
		for (const event of input.events) {
			if (typeof event !== 'string' || !/^[a-z_]+:[a-z_]+$/.test(event)) {
				throw new BitbucketInputError(`Event ${JSON.stringify(event)} is not a Bitbucket event key (e.g. pullrequest:created)`, 'events');
			}
		}
		const body: Record<string, unknown> = {
			url: input.url,
			description: input.description || 'n8n',
			events: input.events,
			active: input.active ?? true,
		};
		if (input.secret) body.secret = input.secret;
		return await this.send<Webhook>('POST', this.hooksPath(scope), body);
	}

	async deleteWebhook(scope: WebhookScope, webhookUid: string): Promise<void> {
		await this.send('DELETE', `${this.hooksPath(scope)}/${encodeURIComponent(uuid(webhookUid, 'webhookId', 'Webhook ID'))}`);
	}

	async listDeployments(ref: RepoRef, options: ListOptions & { sort?: string } = {}): Promise<BitbucketObject[]> {
		return await this.list<BitbucketObject>(repoPath(ref, 'deployments'), PAGE_SIZE.default, options, { sort: options.sort });
	}

	async listEnvironments(ref: RepoRef, options: ListOptions = {}): Promise<BitbucketObject[]> {
		return await this.list<BitbucketObject>(repoPath(ref, 'environments'), PAGE_SIZE.default, options, {});
	}

	// ── any endpoint ───────────────────────────────────────────────────────

	/**
	 * Calls any endpoint under the base URL through the same request layer (429, retries, errors).
	 * With `paginate`, follows `next` links and returns every `values` item.
	 */
	async call(
		method: HttpMethod,
		relativePath: string,
		options: { query?: Query; body?: unknown; paginate?: boolean } & ListOptions = {},
	): Promise<unknown> {
		const p = textArg(relativePath, 'path', 'Path');
		if (!p.startsWith('/')) throw new BitbucketInputError(`Path "${p}" must start with "/" (relative to the base URL)`, 'path');
		if (/^\/\//.test(p) || /[\s]/.test(p)) throw new BitbucketInputError(`Path "${p}" is not a valid relative path`, 'path');
		const [pathPart, queryPart] = p.split('?', 2);
		const query: Query = { ...Object.fromEntries(new URLSearchParams(queryPart ?? '')), ...options.query };
		if (options.paginate) {
			if (method !== 'GET') throw new BitbucketInputError('Pagination only applies to GET requests', 'paginate');
			const pageSize = /\/pullrequests\/?$/.test(pathPart) ? PAGE_SIZE.pullRequests : PAGE_SIZE.default;
			return await this.list<unknown>(pathPart, pageSize, options, query);
		}
		const response = await this.http.request<unknown>({ method, path: pathPart, query, body: options.body });
		return response.body;
	}

	// ── helpers ────────────────────────────────────────────────────────────

	private prPath(ref: RepoRef, id: number | string, ...rest: string[]): string {
		return repoPath(ref, 'pullrequests', positiveId(id, 'pullRequestId', 'Pull request ID'), ...rest);
	}

	private hooksPath(scope: WebhookScope): string {
		return scope.repo
			? repoPath({ workspace: scope.workspace, repo: scope.repo }, 'hooks')
			: path('workspaces', workspaceId(scope.workspace), 'hooks');
	}

	private async headOf(ref: RepoRef, branch: string): Promise<string> {
		const source = await this.get<Ref>(repoPath(ref, 'refs', 'branches', refName(branch, 'fromBranch', 'Source branch')));
		const hash = source.target?.hash;
		if (!hash) throw new BitbucketInputError(`Branch "${branch}" has no head commit`, 'fromBranch');
		return hash;
	}

	private async get<T>(p: string, query?: Query): Promise<T> {
		return (await this.http.request<T>({ path: p, query })).body;
	}

	private async send<T = unknown>(method: HttpMethod, p: string, body?: unknown): Promise<T> {
		return (await this.http.request<T>({ method, path: p, body })).body;
	}

	private async list<T>(
		p: string,
		maxPageSize: number,
		options: ListOptions,
		query: Query,
		key?: (item: T) => string | number,
	): Promise<T[]> {
		return await this.http.paginate<T>(p, {
			maxPageSize,
			limit: options.limit,
			maxPages: options.maxPages,
			query: { ...query, fields: options.fields },
			key,
		});
	}

	private async issueTracker<T>(call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (
				error instanceof BitbucketApiError &&
				(error.status === 410 || (error.status === 404 && /issue tracker/i.test(error.message)))
			) {
				throw new BitbucketApiError(`${ISSUE_TRACKER_GONE}. Bitbucket said: ${error.message}`, error.status, error.details);
			}
			throw error;
		}
	}
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Pipeline variables as Bitbucket takes them, or a BitbucketInputError (field `variables`) naming the variable. */
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

function accountRef(id: string): { uuid: string } | { account_id: string } {
	const text = textArg(id, 'reviewers', 'Reviewer/assignee ID');
	return /^\{.*\}$/.test(text) ? { uuid: text } : { account_id: text };
}

function issueFields(input: Partial<CreateIssueInput>): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (input.content !== undefined) body.content = { raw: input.content };
	if (input.kind !== undefined) {
		if (!ISSUE_KINDS.includes(input.kind)) throw new BitbucketInputError(`Unknown issue kind "${input.kind}" (use ${ISSUE_KINDS.join(', ')})`, 'kind');
		body.kind = input.kind;
	}
	if (input.priority !== undefined) {
		if (!ISSUE_PRIORITIES.includes(input.priority)) {
			throw new BitbucketInputError(`Unknown priority "${input.priority}" (use ${ISSUE_PRIORITIES.join(', ')})`, 'priority');
		}
		body.priority = input.priority;
	}
	if (input.assignee) body.assignee = accountRef(input.assignee);
	if (input.state !== undefined) body.state = input.state;
	return body;
}

