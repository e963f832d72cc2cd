/**
 * The typed Bitbucket Cloud client: one object per connection, split by resource. Each part knows its paths,
 * bodies, page sizes and quirks (resources/*.ts); everything about HTTP lives in the request layer.
 *
 *   client.pullRequests.merge(ref, 42)   — the per-resource parts
 *   client.mergePullRequest(ref, 42)     — the same call under the seed's method names, kept for scripts
 *
 * Validation uses the client's own argument names (`id`, `strategy`, `variables`, …); the n8n node maps them to
 * its field names.
 */
import { BitbucketInputError } from './errors';
import type { RepoRef } from './paths';
import type { Query, RequestLayer } from './request';
import { CommitsPart, type BuildStatusInput, type CommitListOptions } from './resources/commits';
import { DeploymentsPart } from './resources/deployments';
import { FilesPart, type CommitFilesInput, type FileContent } from './resources/files';
import { IssuesPart, type CreateIssueInput } from './resources/issues';
import { PAGE_SIZE, type ListOptions } from './resources/part';
import { PipelinesPart, type PipelineListOptions } from './resources/pipelines';
import {
	PullRequestsPart,
	type CreatePullRequestInput,
	type MergeInput,
	type MergeWait,
	type PullRequestListOptions,
	type UpdatePullRequestInput,
} from './resources/pullRequests';
import { RefsPart, type RefListOptions } from './resources/refs';
import { RepositoriesPart, type CreateRepositoryInput, type RepositoryRole } from './resources/repositories';
import { VariablesPart, type VariableInput, type VariableScope } from './resources/variables';
import { WebhooksPart, type WebhookInput, type WebhookScope } from './resources/webhooks';
import { WorkspacesPart } from './resources/workspaces';
import type { ByteStream, HttpMethod } from './transport';
import type {
	Account,
	BitbucketObject,
	BuildStatus,
	Comment,
	Commit,
	DiffStat,
	Issue,
	Participant,
	Pipeline,
	PipelineStep,
	PipelineTarget,
	PipelineVariable,
	PipelineVariableObject,
	PullRequest,
	Ref,
	Repository,
	SourceEntry,
	Webhook,
	WorkspaceAccess,
} from './types';

export { PAGE_SIZE, type ListOptions, type PageResult } from './resources/part';
export { BUILD_STATES, type BuildStatusInput, type CommitListOptions } from './resources/commits';
export { ISSUE_KINDS, ISSUE_PRIORITIES, type CreateIssueInput } from './resources/issues';
export { PIPELINE_STATUSES, pipelineVariables, type PipelineFilters, type PipelineListOptions, type PipelineStatus } from './resources/pipelines';
export {
	MERGE_STRATEGIES,
	PULL_REQUEST_STATES,
	type CreatePullRequestInput,
	type MergeInput,
	type MergeWait,
	type PullRequestListOptions,
	type UpdatePullRequestInput,
} from './resources/pullRequests';
export type { CreateRepositoryInput, RepositoryRole } from './resources/repositories';
export type { CommitFilesInput, FileContent, FileToCommit } from './resources/files';
export type { VariableInput, VariableScope } from './resources/variables';
export type { HookEventType, WebhookInput, WebhookScope } from './resources/webhooks';

export interface ClientOptions {
	/** How often to poll a 202 merge task. Default 2 000 ms. */
	mergePollIntervalMs?: number;
	/** How long to wait for a 202 merge task before failing. Default 120 000 ms. */
	mergeTimeoutMs?: number;
}

export class BitbucketClient {
	readonly workspaces: WorkspacesPart;

	readonly repositories: RepositoriesPart;

	readonly refs: RefsPart;

	readonly pullRequests: PullRequestsPart;

	readonly pipelines: PipelinesPart;

	readonly commits: CommitsPart;

	readonly issues: IssuesPart;

	readonly webhooks: WebhooksPart;

	readonly deployments: DeploymentsPart;

	readonly files: FilesPart;

	readonly variables: VariablesPart;

	constructor(
		readonly http: RequestLayer,
		options: ClientOptions = {},
	) {
		this.workspaces = new WorkspacesPart(http);
		this.repositories = new RepositoriesPart(http);
		this.refs = new RefsPart(http);
		this.pullRequests = new PullRequestsPart(http, {
			pollIntervalMs: options.mergePollIntervalMs ?? 2_000,
			timeoutMs: options.mergeTimeoutMs ?? 120_000,
		});
		this.pipelines = new PipelinesPart(http);
		this.commits = new CommitsPart(http);
		this.issues = new IssuesPart(http);
		this.webhooks = new WebhooksPart(http);
		this.deployments = new DeploymentsPart(http);
		this.files = new FilesPart(http);
		this.variables = new VariablesPart(http);
	}

	/**
	 * Calls any endpoint under the base URL through the same request layer (429, retries, errors, no dot
	 * segments). With `paginate`, follows `next` links and returns every `values` item.
	 */
	async call(
		method: HttpMethod,
		relativePath: string,
		options: { query?: Query; body?: unknown; paginate?: boolean } & ListOptions = {},
	): Promise<unknown> {
		const p = typeof relativePath === 'string' ? relativePath.trim() : '';
		if (!p.startsWith('/')) throw new BitbucketInputError(`Path "${p}" must start with "/" (relative to the base URL)`, 'path');
		if (/^\/\//.test(p) || /\s/.test(p)) throw new BitbucketInputError(`Path "${p}" is not a valid relative path`, 'path');
		const [pathPart, queryPart] = p.split('?', 2);
		const query: Query = { ...Object.fromEntries(new URLSearchParams(queryPart ?? '')), ...options.query };
		if (options.paginate) {
			if (method !== 'GET') throw new BitbucketInputError('Pagination only applies to GET requests', 'paginate');
			const pageSize = /\/pullrequests\/?$/.test(pathPart) ? PAGE_SIZE.pullRequests : PAGE_SIZE.default;
			return await this.http.paginate<unknown>(pathPart, {
				maxPageSize: pageSize,
				limit: options.limit,
				maxPages: options.maxPages,
				query: { ...query, fields: options.fields },
			});
		}
		return (await this.http.request<unknown>({ method, path: pathPart, query, body: options.body })).body;
	}

	// ── The seed's method names (scripts and the README use them); each delegates to its part. ──────────────

	getCurrentUser(): Promise<Account> {
		return this.workspaces.currentUser();
	}

	listWorkspaces(options?: ListOptions & { q?: string; sort?: string }): Promise<WorkspaceAccess[]> {
		return this.workspaces.list(options);
	}

	listRepositories(workspace: string, options?: ListOptions & { q?: string; role?: RepositoryRole; sort?: string }): Promise<Repository[]> {
		return this.repositories.list(workspace, options);
	}

	getRepo(ref: RepoRef): Promise<Repository> {
		return this.repositories.get(ref);
	}

	createRepo(ref: RepoRef, input?: CreateRepositoryInput): Promise<Repository> {
		return this.repositories.create(ref, input);
	}

	listBranches(ref: RepoRef, options?: RefListOptions): Promise<Ref[]> {
		return this.refs.listBranches(ref, options);
	}

	getBranch(ref: RepoRef, name: string): Promise<Ref> {
		return this.refs.getBranch(ref, name);
	}

	createBranch(ref: RepoRef, name: string, from: { branch: string } | { commit: string }): Promise<Ref> {
		return this.refs.createBranch(ref, name, from);
	}

	deleteBranch(ref: RepoRef, name: string): Promise<void> {
		return this.refs.deleteBranch(ref, name);
	}

	listTags(ref: RepoRef, options?: RefListOptions): Promise<Ref[]> {
		return this.refs.listTags(ref, options);
	}

	createTag(ref: RepoRef, name: string, commit: string, message?: string): Promise<Ref> {
		return this.refs.createTag(ref, name, commit, message);
	}

	deleteTag(ref: RepoRef, name: string): Promise<void> {
		return this.refs.deleteTag(ref, name);
	}

	listPullRequests(ref: RepoRef, options?: PullRequestListOptions): Promise<PullRequest[]> {
		return this.pullRequests.list(ref, options);
	}

	getPullRequest(ref: RepoRef, id: number | string, fields?: string): Promise<PullRequest> {
		return this.pullRequests.get(ref, id, fields);
	}

	createPullRequest(ref: RepoRef, input: CreatePullRequestInput, fields?: string): Promise<PullRequest> {
		return this.pullRequests.create(ref, input, fields);
	}

	updatePullRequest(ref: RepoRef, id: number | string, input: UpdatePullRequestInput, fields?: string): Promise<PullRequest> {
		return this.pullRequests.update(ref, id, input, fields);
	}

	approvePullRequest(ref: RepoRef, id: number | string): Promise<Participant> {
		return this.pullRequests.approve(ref, id);
	}

	unapprovePullRequest(ref: RepoRef, id: number | string): Promise<void> {
		return this.pullRequests.unapprove(ref, id);
	}

	requestChanges(ref: RepoRef, id: number | string): Promise<Participant> {
		return this.pullRequests.requestChanges(ref, id);
	}

	removeChangeRequest(ref: RepoRef, id: number | string): Promise<void> {
		return this.pullRequests.removeChangeRequest(ref, id);
	}

	declinePullRequest(ref: RepoRef, id: number | string): Promise<PullRequest> {
		return this.pullRequests.decline(ref, id);
	}

	mergePullRequest(ref: RepoRef, id: number | string, input?: MergeInput, wait?: MergeWait): Promise<PullRequest> {
		return this.pullRequests.merge(ref, id, input, wait);
	}

	listPullRequestCommits(ref: RepoRef, id: number | string, options?: ListOptions): Promise<Commit[]> {
		return this.pullRequests.listCommits(ref, id, options);
	}

	getPullRequestDiffstat(ref: RepoRef, id: number | string, options?: ListOptions): Promise<DiffStat[]> {
		return this.pullRequests.diffstat(ref, id, options);
	}

	listPullRequestActivity(ref: RepoRef, id: number | string, options?: ListOptions): Promise<BitbucketObject[]> {
		return this.pullRequests.activity(ref, id, options);
	}

	listPullRequestComments(ref: RepoRef, id: number | string, options?: ListOptions & { q?: string; sort?: string }): Promise<Comment[]> {
		return this.pullRequests.listComments(ref, id, options);
	}

	addPullRequestComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		return this.pullRequests.addComment(ref, id, text);
	}

	listPipelines(ref: RepoRef, options?: PipelineListOptions): Promise<Pipeline[]> {
		return this.pipelines.list(ref, options);
	}

	getPipeline(ref: RepoRef, pipelineUuid: string): Promise<Pipeline> {
		return this.pipelines.get(ref, pipelineUuid);
	}

	triggerPipeline(ref: RepoRef, target: PipelineTarget, variables?: readonly PipelineVariable[]): Promise<Pipeline> {
		return this.pipelines.trigger(ref, target, variables);
	}

	stopPipeline(ref: RepoRef, pipelineUuid: string): Promise<void> {
		return this.pipelines.stop(ref, pipelineUuid);
	}

	listPipelineSteps(ref: RepoRef, pipelineUuid: string, options?: ListOptions): Promise<PipelineStep[]> {
		return this.pipelines.listSteps(ref, pipelineUuid, options);
	}

	getPipelineStepLog(ref: RepoRef, pipelineUuid: string, stepUuid: string): Promise<string> {
		return this.pipelines.stepLog(ref, pipelineUuid, stepUuid);
	}

	listCommits(ref: RepoRef, options?: CommitListOptions): Promise<Commit[]> {
		return this.commits.list(ref, options);
	}

	getCommit(ref: RepoRef, hash: string): Promise<Commit> {
		return this.commits.get(ref, hash);
	}

	createBuildStatus(ref: RepoRef, hash: string, input: BuildStatusInput): Promise<BuildStatus> {
		return this.commits.createBuildStatus(ref, hash, input);
	}

	listBuildStatuses(ref: RepoRef, hash: string, options?: ListOptions): Promise<BuildStatus[]> {
		return this.commits.listBuildStatuses(ref, hash, options);
	}

	listIssues(ref: RepoRef, options?: ListOptions & { q?: string; sort?: string }): Promise<Issue[]> {
		return this.issues.list(ref, options);
	}

	getIssue(ref: RepoRef, id: number | string): Promise<Issue> {
		return this.issues.get(ref, id);
	}

	createIssue(ref: RepoRef, input: CreateIssueInput): Promise<Issue> {
		return this.issues.create(ref, input);
	}

	updateIssue(ref: RepoRef, id: number | string, input: Partial<CreateIssueInput>): Promise<Issue> {
		return this.issues.update(ref, id, input);
	}

	addIssueComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		return this.issues.addComment(ref, id, text);
	}

	listWebhooks(scope: WebhookScope, options?: ListOptions): Promise<Webhook[]> {
		return this.webhooks.list(scope, options);
	}

	createWebhook(scope: WebhookScope, input: WebhookInput): Promise<Webhook> {
		return this.webhooks.create(scope, input);
	}

	deleteWebhook(scope: WebhookScope, webhookUid: string): Promise<void> {
		return this.webhooks.delete(scope, webhookUid);
	}

	listDeployments(ref: RepoRef, options?: ListOptions & { sort?: string }): Promise<BitbucketObject[]> {
		return this.deployments.list(ref, options);
	}

	listEnvironments(ref: RepoRef, options?: ListOptions): Promise<BitbucketObject[]> {
		return this.deployments.listEnvironments(ref, options);
	}

	/** A file's content at a branch, tag or commit (default: the main branch's head), as text or bytes. */
	getFile(ref: RepoRef, path: string, options: { at?: string; as: 'text' }): Promise<FileContent<string>>;
	getFile(ref: RepoRef, path: string, options?: { at?: string; as?: 'bytes' }): Promise<FileContent<Uint8Array>>;
	getFile(ref: RepoRef, path: string, options: { at?: string; as?: 'text' | 'bytes' } = {}): Promise<FileContent<string | Uint8Array>> {
		return options.as === 'text' ? this.files.get(ref, path, { at: options.at, as: 'text' }) : this.files.get(ref, path, { at: options.at });
	}

	/** A file's content as bytes arriving, never whole in memory. */
	streamFile(ref: RepoRef, path: string, options?: { at?: string }): Promise<FileContent<ByteStream>> {
		return this.files.stream(ref, path, options);
	}

	/** The entries of a directory (root when `path` is empty), `maxDepth` levels deep. */
	listFiles(ref: RepoRef, path: string, options?: ListOptions & { at?: string; maxDepth?: number }): Promise<SourceEntry[]> {
		return this.files.list(ref, path, options);
	}

	/** One commit of added, replaced and deleted files on a branch (created when missing); returns the commit. */
	commitFiles(ref: RepoRef, input: CommitFilesInput): Promise<Commit> {
		return this.files.commit(ref, input);
	}

	listPipelineVariables(ref: RepoRef, scope?: VariableScope, options?: ListOptions): Promise<PipelineVariableObject[]> {
		return this.variables.list(ref, scope, options);
	}

	getPipelineVariable(ref: RepoRef, variableUuid: string, scope?: VariableScope): Promise<PipelineVariableObject> {
		return this.variables.get(ref, variableUuid, scope);
	}

	createPipelineVariable(ref: RepoRef, input: VariableInput, scope?: VariableScope): Promise<PipelineVariableObject> {
		return this.variables.create(ref, input, scope);
	}

	updatePipelineVariable(ref: RepoRef, variableUuid: string, input: Partial<VariableInput>, scope?: VariableScope): Promise<PipelineVariableObject> {
		return this.variables.update(ref, variableUuid, input, scope);
	}

	deletePipelineVariable(ref: RepoRef, variableUuid: string, scope?: VariableScope): Promise<void> {
		return this.variables.delete(ref, variableUuid, scope);
	}

	/** Sets a variable by key: updates it (secured ones by UUID) or creates it. `created` says which. */
	setPipelineVariable(ref: RepoRef, input: VariableInput, scope?: VariableScope): Promise<PipelineVariableObject & { created: boolean }> {
		return this.variables.set(ref, input, scope);
	}
}
