/**
 * The issue tracker (deprecated by Atlassian, off in many repositories): its absence becomes a clear message
 * instead of a bare 404.
 */
import { BitbucketApiError, BitbucketInputError } from '../errors';
import { positiveId, repoPath, textArg, type RepoRef } from '../paths';
import type { Comment, Issue } from '../types';
import { accountRef } from './accounts';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

export const ISSUE_KINDS = ['bug', 'enhancement', 'proposal', 'task'] as const;
export const ISSUE_PRIORITIES = ['trivial', 'minor', 'major', 'critical', 'blocker'] as const;
const ISSUE_TRACKER_GONE = 'The issue tracker is not enabled for this repository (Bitbucket is retiring it)';

export interface CreateIssueInput {
	title: string;
	content?: string;
	kind?: string;
	priority?: string;
	/** Account UUID or account ID. */
	assignee?: string;
	state?: string;
}

export class IssuesPart extends ResourcePart {
	async list(ref: RepoRef, options: ListOptions & { q?: string; sort?: string } = {}): Promise<Issue[]> {
		return await tracker(() => this.collect<Issue>(repoPath(ref, 'issues'), PAGE_SIZE.default, options, { q: options.q, sort: options.sort }, (i) => i.id));
	}

	async get(ref: RepoRef, id: number | string): Promise<Issue> {
		return await tracker(() => this.fetchOne<Issue>(issuePath(ref, id)));
	}

	async create(ref: RepoRef, input: CreateIssueInput): Promise<Issue> {
		const title = textArg(input.title, 'title', 'Title');
		return await tracker(() => this.write<Issue>('POST', repoPath(ref, 'issues'), { title, ...issueFields(input) }));
	}

	async update(ref: RepoRef, id: number | string, input: Partial<CreateIssueInput>): Promise<Issue> {
		const body: Record<string, unknown> = issueFields(input);
		if (input.title !== undefined) body.title = textArg(input.title, 'title', 'Title');
		if (Object.keys(body).length === 0) throw new BitbucketInputError('Nothing to update: set at least one field', 'input');
		return await tracker(() => this.write<Issue>('PUT', issuePath(ref, id), body));
	}

	async addComment(ref: RepoRef, id: number | string, text: string): Promise<Comment> {
		const raw = textArg(text, 'text', 'Comment text', { trim: false });
		return await tracker(() => this.write<Comment>('POST', issuePath(ref, id, 'comments'), { content: { raw } }));
	}
}

function issuePath(ref: RepoRef, id: number | string, ...rest: string[]): string {
	return repoPath(ref, 'issues', positiveId(id, 'id', 'Issue ID'), ...rest);
}

/** Runs a call; a missing tracker (410, or a 404 that says so) becomes a message that says why. */
async function tracker<T>(call: () => Promise<T>): Promise<T> {
	return await call().catch((error: unknown) => {
		const gone = error instanceof BitbucketApiError && (error.status === 410 || (error.status === 404 && /issue tracker/i.test(error.message)));
		return Promise.reject(gone ? new BitbucketApiError(`${ISSUE_TRACKER_GONE}. Bitbucket said: ${error.message}`, error.status, error.details) : error);
	});
}

function issueFields(input: Partial<CreateIssueInput>): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (input.content !== undefined) body.content = { raw: textArg(input.content, 'content', 'Content', { optional: true, trim: false }) };
	if (input.kind !== undefined) {
		if (!(ISSUE_KINDS as readonly string[]).includes(input.kind)) {
			throw new BitbucketInputError(`Unknown issue kind "${String(input.kind)}" (use ${ISSUE_KINDS.join(', ')})`, 'kind');
		}
		body.kind = input.kind;
	}
	if (input.priority !== undefined) {
		if (!(ISSUE_PRIORITIES as readonly string[]).includes(input.priority)) {
			throw new BitbucketInputError(`Unknown priority "${String(input.priority)}" (use ${ISSUE_PRIORITIES.join(', ')})`, 'priority');
		}
		body.priority = input.priority;
	}
	if (input.assignee) body.assignee = accountRef(input.assignee, 'assignee');
	if (input.state !== undefined) body.state = textArg(input.state, 'state', 'State');
	return body;
}
