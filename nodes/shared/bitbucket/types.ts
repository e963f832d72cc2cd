/**
 * The Bitbucket objects the client returns, typed as far as the integration relies on them.
 * Bitbucket sends more; the index signature keeps the rest available to workflows.
 */

export interface BitbucketObject {
	type?: string;
	links?: Record<string, { href?: string; name?: string } | Array<{ href?: string; name?: string }>>;
	[key: string]: unknown;
}

export interface Account extends BitbucketObject {
	uuid?: string;
	account_id?: string;
	display_name?: string;
	nickname?: string;
	username?: string;
}

export interface Workspace extends BitbucketObject {
	uuid?: string;
	slug: string;
	name?: string;
}

export interface WorkspaceAccess extends BitbucketObject {
	workspace: Workspace;
	permission?: string;
}

export interface Repository extends BitbucketObject {
	uuid?: string;
	slug?: string;
	name: string;
	full_name: string;
	is_private?: boolean;
	mainbranch?: { name: string; type?: string };
	description?: string;
	project?: { key?: string; name?: string };
	created_on?: string;
	updated_on?: string;
}

export interface Commit extends BitbucketObject {
	hash: string;
	message?: string;
	date?: string;
	author?: { raw?: string; user?: Account };
	parents?: Array<{ hash: string }>;
}

export interface Ref extends BitbucketObject {
	name: string;
	target?: Commit;
}

export type PullRequestState = 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';

export interface PullRequest extends BitbucketObject {
	id: number;
	title: string;
	description?: string;
	state: PullRequestState;
	draft?: boolean;
	author?: Account;
	source?: { branch?: { name: string }; commit?: { hash: string } };
	destination?: { branch?: { name: string }; commit?: { hash: string } };
	merge_commit?: { hash: string } | null;
	close_source_branch?: boolean;
	reviewers?: Account[];
	participants?: Array<{ user?: Account; role?: string; approved?: boolean; state?: string | null }>;
	created_on?: string;
	updated_on?: string;
}

export type MergeStrategy =
	| 'merge_commit'
	| 'squash'
	| 'fast_forward'
	| 'squash_fast_forward'
	| 'rebase_fast_forward'
	| 'rebase_merge';

export interface Participant extends BitbucketObject {
	user?: Account;
	role?: string;
	approved?: boolean;
	state?: string | null;
}

export interface Comment extends BitbucketObject {
	id: number;
	content?: { raw?: string; markup?: string; html?: string };
	user?: Account;
	created_on?: string;
}

export interface PipelineVariable {
	key: string;
	value?: string;
	secured?: boolean;
}

/** A variable of the repository's pipelines or of a deployment environment; `value` is absent when secured. */
export interface PipelineVariableObject extends BitbucketObject {
	uuid: string;
	key: string;
	value?: string;
	secured: boolean;
}

/** An entry of a repository's tree (`…/src`): a file or a directory. */
export interface SourceEntry extends BitbucketObject {
	type: 'commit_file' | 'commit_directory' | string;
	path: string;
	size?: number;
	mimetype?: string | null;
	attributes?: string[];
	commit?: { hash: string };
}

export type PipelineTarget =
	| { kind: 'branch'; name: string; pattern?: string }
	| { kind: 'tag'; name: string; pattern?: string }
	| { kind: 'commit'; hash: string; pattern?: string; branch?: string };

export interface Pipeline extends BitbucketObject {
	uuid: string;
	build_number?: number;
	state?: { name?: string; type?: string; result?: { name?: string } };
	target?: Record<string, unknown>;
	created_on?: string;
	completed_on?: string;
}

export interface PipelineStep extends BitbucketObject {
	uuid: string;
	name?: string;
	state?: { name?: string; result?: { name?: string } };
}

export type BuildState = 'SUCCESSFUL' | 'FAILED' | 'INPROGRESS' | 'STOPPED';

export interface BuildStatus extends BitbucketObject {
	key: string;
	state: BuildState;
	url?: string;
	name?: string;
	description?: string;
}

export interface Issue extends BitbucketObject {
	id: number;
	title: string;
	content?: { raw?: string };
	kind?: string;
	priority?: string;
	state?: string;
}

export interface Webhook extends BitbucketObject {
	uuid: string;
	url: string;
	description?: string;
	events: string[];
	active?: boolean;
	secret_set?: boolean;
}

export interface DiffStat extends BitbucketObject {
	status?: string;
	lines_added?: number;
	lines_removed?: number;
}

export interface MergeTaskStatus {
	task_status: 'PENDING' | 'SUCCESS' | string;
	merge_result?: PullRequest;
}
