/**
 * The sandbox's data. Records use Bitbucket's own field names (snake_case, nested the same way) so that
 * BBQL paths such as `source.branch.name` or `author.nickname` resolve directly against them.
 */
import { OAuth2Server } from './oauth2';
import { MonotonicClock } from './time';

export interface AccountRecord {
	uuid: string;
	account_id: string;
	nickname: string;
	display_name: string;
	email: string;
	created_on: string;
}

export interface HookRecord {
	uuid: string;
	url: string;
	description: string;
	events: string[];
	active: boolean;
	/** Never rendered; Bitbucket only says `secret_set`. */
	secret: string | null;
	created_at: string;
	subject_type: 'repository' | 'workspace';
}

export interface WorkspaceRecord {
	uuid: string;
	slug: string;
	name: string;
	is_private: boolean;
	created_on: string;
	updated_on: string;
	hooks: HookRecord[];
	/** Accounts that administer the workspace (the `administrator` flag of /user/workspaces). */
	admins: string[];
	/** Accounts with access at all. */
	members: string[];
}

export interface ProjectRecord {
	uuid: string;
	workspaceSlug: string;
	key: string;
	name: string;
	description: string;
	is_private: boolean;
	created_on: string;
	updated_on: string;
}

export interface FileChange {
	path: string;
	status: 'added' | 'modified' | 'removed' | 'renamed';
	lines_added: number;
	lines_removed: number;
	old_path?: string;
}

/** A file of a commit's tree: bytes, and Bitbucket's attributes (`executable`, `link`, `binary`). */
export interface FileEntry {
	content: Buffer;
	attributes: string[];
}

/** Every file of a commit by path (`docs/guide.md`); directories are implied by the paths. Never changed once made. */
export type FileTree = ReadonlyMap<string, FileEntry>;

export interface CommitRecord {
	hash: string;
	date: string;
	message: string;
	author: AccountRecord;
	parents: string[];
	files: FileChange[];
	/** The files at this commit; seeded commits share the repository's `files`. */
	tree?: FileTree;
	/** The author as the commit was given it (`Name <email>`), when it is not the account's own. */
	rawAuthor?: string;
}

export interface BranchRecord {
	name: string;
	target: CommitRecord;
}

export interface TagRecord {
	name: string;
	target: CommitRecord;
	message: string;
	date: string;
	tagger: AccountRecord;
}

export interface RepoRef {
	uuid: string;
	name: string;
	full_name: string;
}

export interface PullRequestEndpoint {
	branch: { name: string };
	commit: { hash: string };
	repository: RepoRef;
}

export interface ParticipantRecord {
	user: AccountRecord;
	role: 'PARTICIPANT' | 'REVIEWER';
	approved: boolean;
	state: 'approved' | 'changes_requested' | null;
	participated_on: string | null;
}

export interface CommentRecord {
	id: number;
	content: { raw: string };
	user: AccountRecord;
	created_on: string;
	updated_on: string;
	deleted: boolean;
	parent_id: number | null;
	inline: { path: string; from: number | null; to: number | null } | null;
}

export type PullRequestState = 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';

export type ActivityRecord =
	| { kind: 'update'; date: string; user: AccountRecord; state: PullRequestState; title: string; description: string; reason: string }
	| { kind: 'approval'; date: string; user: AccountRecord }
	| { kind: 'changes_requested'; date: string; user: AccountRecord }
	| { kind: 'comment'; date: string; comment: CommentRecord };

export interface PullRequestRecord {
	id: number;
	title: string;
	description: string;
	state: PullRequestState;
	author: AccountRecord;
	source: PullRequestEndpoint;
	destination: PullRequestEndpoint;
	reviewers: AccountRecord[];
	participants: ParticipantRecord[];
	close_source_branch: boolean;
	draft: boolean;
	queued: boolean;
	created_on: string;
	updated_on: string;
	comment_count: number;
	task_count: number;
	merge_commit: { hash: string } | null;
	closed_by: AccountRecord | null;
	reason: string;
	comments: CommentRecord[];
	activity: ActivityRecord[];
	/** Sandbox rule: merges of this PR answer 202 and are finished through task-status polls. */
	asyncMerge: boolean;
}

export type MergeStrategy = 'merge_commit' | 'squash' | 'fast_forward' | 'squash_fast_forward' | 'rebase_fast_forward' | 'rebase_merge';

export const MERGE_STRATEGIES: readonly MergeStrategy[] = [
	'merge_commit',
	'squash',
	'fast_forward',
	'squash_fast_forward',
	'rebase_fast_forward',
	'rebase_merge',
];

export interface MergeTaskRecord {
	id: string;
	pullRequestId: number;
	polls: number;
	status: 'PENDING' | 'SUCCESS';
	user: AccountRecord;
	strategy: MergeStrategy;
	message: string | null;
	closeSourceBranch: boolean;
}

export type PipelineResult = 'SUCCESSFUL' | 'FAILED' | 'STOPPED' | 'ERROR';

export interface PipelineStateRecord {
	name: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED';
	result: PipelineResult | null;
}

export interface PipelineVariableRecord {
	uuid: string;
	key: string;
	value: string;
	secured: boolean;
}

export interface PipelineTargetRecord {
	type: 'pipeline_ref_target' | 'pipeline_commit_target';
	ref_type: 'branch' | 'tag' | null;
	ref_name: string | null;
	commit: { hash: string };
	selector: { type: string; pattern: string | null } | null;
}

export interface StepRecord {
	uuid: string;
	name: string;
	started_on: string | null;
	completed_on: string | null;
	state: PipelineStateRecord;
	image: string;
	script: string[];
	log: string;
}

export interface PipelineRecord {
	uuid: string;
	build_number: number;
	creator: AccountRecord;
	target: PipelineTargetRecord;
	trigger: 'pipeline_trigger_push' | 'pipeline_trigger_manual';
	state: PipelineStateRecord;
	variables: PipelineVariableRecord[];
	created_on: string;
	completed_on: string | null;
	build_seconds_used: number;
	steps: StepRecord[];
}

export type IssueState = 'submitted' | 'new' | 'open' | 'resolved' | 'on hold' | 'invalid' | 'duplicate' | 'wontfix' | 'closed';
export type IssueKind = 'bug' | 'enhancement' | 'proposal' | 'task';
export type IssuePriority = 'trivial' | 'minor' | 'major' | 'critical' | 'blocker';

export interface IssueRecord {
	id: number;
	title: string;
	content: { raw: string };
	reporter: AccountRecord;
	assignee: AccountRecord | null;
	state: IssueState;
	kind: IssueKind;
	priority: IssuePriority;
	votes: number;
	created_on: string;
	updated_on: string;
	edited_on: string | null;
	comments: CommentRecord[];
}

export interface BuildStatusRecord {
	key: string;
	commit: string;
	refname: string | null;
	url: string;
	state: 'SUCCESSFUL' | 'FAILED' | 'INPROGRESS' | 'STOPPED';
	name: string;
	description: string;
	created_on: string;
	updated_on: string;
}

export interface EnvironmentRecord {
	uuid: string;
	name: string;
	slug: string;
	environment_type: 'Test' | 'Staging' | 'Production';
	rank: number;
	/** Deployment variables of this environment. */
	variables: PipelineVariableRecord[];
}

export interface DeploymentRecord {
	uuid: string;
	environment: EnvironmentRecord;
	release: { uuid: string; name: string; commit: string; created_on: string; pipelineUuid: string };
	state: 'COMPLETED' | 'IN_PROGRESS';
	result: 'SUCCESSFUL' | 'FAILED' | null;
	deployed_on: string;
}

export interface RepositoryRecord {
	uuid: string;
	slug: string;
	name: string;
	full_name: string;
	workspace: WorkspaceRecord;
	project: ProjectRecord;
	description: string;
	is_private: boolean;
	has_issues: boolean;
	has_wiki: boolean;
	language: string;
	fork_policy: 'allow_forks' | 'no_public_forks' | 'no_forks';
	size: number;
	created_on: string;
	updated_on: string;
	mainbranch: { name: string };
	branches: BranchRecord[];
	tags: TagRecord[];
	/** Newest first, like `git log --all`. */
	commits: CommitRecord[];
	pullRequests: PullRequestRecord[];
	mergeTasks: MergeTaskRecord[];
	pipelines: PipelineRecord[];
	issues: IssueRecord[];
	hooks: HookRecord[];
	statuses: BuildStatusRecord[];
	environments: EnvironmentRecord[];
	deployments: DeploymentRecord[];
	/** The tree of every seeded commit (commits made through `src` carry their own). */
	files: FileTree;
	/** Repository pipeline variables (`pipelines_config/variables`). */
	pipelineVariables: PipelineVariableRecord[];
}

export class SandboxState {
	/** The OAuth 2.0 authorization server (tokens live as long as the state). */
	readonly oauth2 = new OAuth2Server();

	/** Polls a 202 merge task answers PENDING before it completes (Bitbucket: "a while"). */
	mergePendingPolls = 2;

	readonly users: AccountRecord[] = [];
	readonly workspaces: WorkspaceRecord[] = [];
	readonly projects: ProjectRecord[] = [];
	readonly repositories: RepositoryRecord[] = [];
	readonly clock: MonotonicClock;
	private readonly commitIndex = new WeakMap<RepositoryRecord, Map<string, CommitRecord>>();
	private counter = 0;
	private revisionValue = 0;
	private viewEpochValue = 0;

	constructor(clockNotBefore: number) {
		this.clock = new MonotonicClock(clockNotBefore);
	}

	/** Bumped on every change (API or touch()); filtered and sorted list results are cached per revision. */
	get revision(): number {
		return this.revisionValue;
	}

	/** Bumped by touch() only; rendered views are otherwise revalidated per record (e.g. by updated_on). */
	get viewEpoch(): number {
		return this.viewEpochValue;
	}

	/** Records a change made through the API. */
	noteApiChange(): void {
		this.revisionValue += 1;
	}

	/** Call after changing records directly (outside the API) so every cached list and view is rebuilt. */
	touch(): void {
		this.revisionValue += 1;
		this.viewEpochValue += 1;
	}

	/** A fresh number for ids/uuids of API-created objects. */
	nextSerial(): number {
		this.counter += 1;
		return this.counter;
	}

	workspace(slugOrUuid: string): WorkspaceRecord | undefined {
		return this.workspaces.find((w) => w.slug === slugOrUuid || w.uuid === slugOrUuid);
	}

	repo(workspace: string, slugOrUuid: string): RepositoryRecord | undefined {
		const ws = this.workspace(workspace);
		if (!ws) return undefined;
		return this.repositories.find((r) => r.workspace === ws && (r.slug === slugOrUuid || r.uuid === slugOrUuid));
	}

	user(uuidOrNickname: string): AccountRecord | undefined {
		return this.users.find((u) => u.uuid === uuidOrNickname || u.nickname === uuidOrNickname || u.account_id === uuidOrNickname);
	}

	pullRequest(repo: RepositoryRecord, id: number): PullRequestRecord | undefined {
		const guess = repo.pullRequests[id - 1];
		if (guess?.id === id) return guess;
		return repo.pullRequests.find((p) => p.id === id);
	}

	branch(repo: RepositoryRecord, name: string): BranchRecord | undefined {
		return repo.branches.find((b) => b.name === name);
	}

	/** Resolves a full hash, an abbreviated hash (at least 7 characters), a branch or a tag name. */
	resolveRevision(repo: RepositoryRecord, revision: string): CommitRecord | undefined {
		const ref = this.branch(repo, revision) ?? repo.tags.find((t) => t.name === revision);
		if (ref) return ref.target;
		return this.commit(repo, revision);
	}

	/** The files at a commit. */
	treeOf(repo: RepositoryRecord, commit: CommitRecord): FileTree {
		return commit.tree ?? repo.files;
	}

	commit(repo: RepositoryRecord, hash: string): CommitRecord | undefined {
		if (!/^[0-9a-f]{7,40}$/.test(hash)) return undefined;
		const index = this.indexOf(repo);
		const exact = index.get(hash);
		if (exact || hash.length === 40) return exact;
		const matches = repo.commits.filter((c) => c.hash.startsWith(hash));
		return matches.length === 1 ? matches[0] : undefined;
	}

	addCommit(repo: RepositoryRecord, commit: CommitRecord): void {
		repo.commits.unshift(commit);
		this.indexOf(repo).set(commit.hash, commit);
	}

	private indexOf(repo: RepositoryRecord): Map<string, CommitRecord> {
		let index = this.commitIndex.get(repo);
		if (!index || index.size !== repo.commits.length) {
			index = new Map(repo.commits.map((c) => [c.hash, c]));
			this.commitIndex.set(repo, index);
		}
		return index;
	}
}
