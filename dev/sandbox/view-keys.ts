/** What makes each cached representation stale: every API change to these records moves the version. */
import type { ViewKey } from './cache';
import type { BranchRecord, CommitRecord, IssueRecord, PipelineRecord, PullRequestRecord, RepositoryRecord, TagRecord } from './model';

export const PULL_REQUEST_VIEW: ViewKey<PullRequestRecord> = {
	kind: 'pullrequest',
	version: (p) => `${p.updated_on}|${p.state}|${p.queued}|${p.comment_count}|${p.participants.length}`,
};
export const COMMIT_VIEW: ViewKey<CommitRecord> = { kind: 'commit', version: (c) => c.message };
export const BRANCH_VIEW: ViewKey<BranchRecord> = { kind: 'branch', version: (b) => b.target.hash };
export const TAG_VIEW: ViewKey<TagRecord> = { kind: 'tag', version: (t) => t.target.hash };
export const PIPELINE_VIEW: ViewKey<PipelineRecord> = { kind: 'pipeline', version: (p) => `${p.state.name}|${p.state.result}|${p.completed_on}` };
export const ISSUE_VIEW: ViewKey<IssueRecord> = { kind: 'issue', version: (i) => `${i.updated_on}|${i.comments.length}` };
export const REPOSITORY_VIEW: ViewKey<RepositoryRecord> = { kind: 'repository', version: (r) => r.updated_on };
