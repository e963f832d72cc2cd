/**
 * Simplify: one flat item per event, with what a workflow usually needs (who, which repository, and the pull
 * request, push change, build status, issue or comment), instead of Bitbucket's nested payload.
 */
import type { IDataObject } from 'n8n-workflow';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function href(links: unknown, name = 'html'): string | undefined {
	return str(obj(obj(links)[name]).href);
}

function actorOf(payload: Json): IDataObject {
	const actor = obj(payload.actor);
	return { actor: str(actor.display_name), actorAccountId: str(actor.account_id), actorUuid: str(actor.uuid) };
}

function pullRequestOf(pr: Json): IDataObject {
	return {
		pullRequestId: typeof pr.id === 'number' ? pr.id : undefined,
		title: str(pr.title),
		state: str(pr.state),
		draft: typeof pr.draft === 'boolean' ? pr.draft : undefined,
		author: str(obj(pr.author).display_name),
		sourceBranch: str(obj(obj(pr.source).branch).name),
		sourceCommit: str(obj(obj(pr.source).commit).hash),
		destinationBranch: str(obj(obj(pr.destination).branch).name),
		mergeCommit: str(obj(pr.merge_commit).hash),
		url: href(pr.links),
		createdOn: str(pr.created_on),
		updatedOn: str(pr.updated_on),
	};
}

/** One `push.changes[]` entry, flat: the ref, its old and new heads, and the commits pushed. */
export function pushChangeOf(change: Json): IDataObject {
	const ref = obj(change.new).name ? obj(change.new) : obj(change.old);
	return {
		refType: str(ref.type),
		refName: str(ref.name),
		oldCommit: str(obj(obj(change.old).target).hash),
		newCommit: str(obj(obj(change.new).target).hash),
		created: change.created === true,
		closed: change.closed === true,
		forced: change.forced === true,
		commits: (Array.isArray(change.commits) ? change.commits : []).map((c) => {
			const commit = obj(c);
			return { hash: str(commit.hash), message: str(commit.message)?.trim(), author: str(obj(commit.author).raw), date: str(commit.date) };
		}),
		truncated: change.truncated === true,
	};
}

export function pushChanges(payload: Json): Json[] {
	const changes = obj(payload.push).changes;
	return Array.isArray(changes) ? changes.map(obj) : [];
}

/** The flat item for an event (for repo:push with several changes, `changes` holds them all). */
export function simplifyEvent(event: string, payload: Json): IDataObject {
	const item: IDataObject = { event, ...actorOf(payload), repository: str(obj(payload.repository).full_name) };
	if (payload.pullrequest) Object.assign(item, pullRequestOf(obj(payload.pullrequest)));
	if (payload.approval) item.approvedBy = str(obj(obj(payload.approval).user).display_name);
	if (payload.comment) {
		const comment = obj(payload.comment);
		item.comment = str(obj(comment.content).raw);
		item.commentId = typeof comment.id === 'number' ? comment.id : undefined;
	}
	if (payload.push) item.changes = pushChanges(payload).map(pushChangeOf);
	if (payload.commit_status) {
		const status = obj(payload.commit_status);
		Object.assign(item, {
			buildState: str(status.state),
			buildKey: str(status.key),
			buildName: str(status.name),
			buildUrl: str(status.url),
			commit: str(obj(status.commit).hash),
			refName: str(status.refname),
		});
	}
	if (payload.issue) {
		const issue = obj(payload.issue);
		Object.assign(item, { issueId: typeof issue.id === 'number' ? issue.id : undefined, title: str(issue.title), state: str(issue.state), kind: str(issue.kind), priority: str(issue.priority) });
	}
	return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}
