/**
 * What the poll trigger can watch, each with three moves:
 *  - `start`: the first poll after activation records where "now" is and emits nothing;
 *  - `poll`: emits each change since the recorded point exactly once, and returns the new point;
 *  - `sample`: the newest matching object, for "Fetch Test Event" (the point does not move).
 * Every request goes through the shared client and request layer. A poll that fails (a 429 Bitbucket asks to wait
 * out, a 5xx) returns nothing and leaves the point where it was, so the next poll picks the changes up.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BitbucketClient } from '../shared/bitbucket/client';
import type { RepoRef } from '../shared/bitbucket/paths';
import type { Commit, Issue, Pipeline, PullRequest, PullRequestState } from '../shared/bitbucket/types';
import { advance, initialState, sinceQuery, type WatermarkState } from './watermark';

export type WatchName = 'pullRequests' | 'pipelines' | 'commits' | 'issues';

export interface WatchSettings {
	ref: RepoRef;
	states: PullRequestState[];
	results: string[];
	branch?: string;
	simplify: boolean;
}

export interface PollState extends WatermarkState {
	/** The watch and its settings when the state was recorded: another configuration starts over. */
	key?: string;
	/** Pipelines: the highest build number seen, and the ones seen running (uuid → build number). */
	highest?: number;
	running?: Record<string, number>;
	/** Commits: the branch head already emitted. */
	head?: string;
}

export interface Watch {
	start(client: BitbucketClient, settings: WatchSettings): Promise<PollState>;
	poll(client: BitbucketClient, settings: WatchSettings, state: PollState): Promise<{ emit: IDataObject[]; next: PollState }>;
	sample(client: BitbucketClient, settings: WatchSettings): Promise<IDataObject[]>;
}

const PR_FIELDS = [
	'id',
	'title',
	'state',
	'draft',
	'author.display_name',
	'source.branch.name',
	'source.commit.hash',
	'destination.branch.name',
	'merge_commit.hash',
	'created_on',
	'updated_on',
	'links.html.href',
];
const PIPELINE_FIELDS = ['uuid', 'build_number', 'state.name', 'state.result.name', 'target.ref_name', 'target.commit.hash', 'target.selector.pattern', 'creator.display_name', 'created_on', 'completed_on', 'duration_in_seconds'];
const COMMIT_FIELDS = ['hash', 'date', 'message', 'author.raw', 'author.user.display_name', 'parents.hash', 'links.html.href'];
const ISSUE_FIELDS = ['id', 'title', 'state', 'kind', 'priority', 'assignee.display_name', 'reporter.display_name', 'created_on', 'updated_on', 'links.html.href'];

const values = (fields: string[]) => fields.map((f) => `values.${f}`).join(',');

const stampPr = (pr: PullRequest) => ({ id: pr.id, updatedOn: String(pr.updated_on ?? '') });
const stampIssue = (issue: Issue) => ({ id: issue.id, updatedOn: String(issue.updated_on ?? '') });

const pullRequests: Watch = {
	async start(client, s) {
		const newest = await client.pullRequests.list(s.ref, { states: s.states, sort: '-updated_on', limit: 50, fields: values(['id', 'updated_on']) });
		return initialState(newest, stampPr);
	},
	async poll(client, s, state) {
		const fetched = await client.pullRequests.list(s.ref, {
			states: s.states,
			q: sinceQuery(state),
			sort: 'updated_on',
			fields: s.simplify ? values(PR_FIELDS) : undefined,
		});
		const { emit, next } = advance(state, fetched, stampPr);
		return { emit: emit as IDataObject[], next: { ...state, ...next } };
	},
	async sample(client, s) {
		return (await client.pullRequests.list(s.ref, { states: s.states, sort: '-updated_on', limit: 1, fields: s.simplify ? values(PR_FIELDS) : undefined })) as IDataObject[];
	},
};

const issues: Watch = {
	async start(client, s) {
		return initialState(await client.issues.list(s.ref, { sort: '-updated_on', limit: 50, fields: values(['id', 'updated_on']) }), stampIssue);
	},
	async poll(client, s, state) {
		const fetched = await client.issues.list(s.ref, { q: sinceQuery(state), sort: 'updated_on', fields: s.simplify ? values(ISSUE_FIELDS) : undefined });
		const { emit, next } = advance(state, fetched, stampIssue);
		return { emit: emit as IDataObject[], next: { ...state, ...next } };
	},
	async sample(client, s) {
		return (await client.issues.list(s.ref, { sort: '-updated_on', limit: 1, fields: s.simplify ? values(ISSUE_FIELDS) : undefined })) as IDataObject[];
	},
};

const completed = (p: Pipeline) => (p.state as { name?: string } | undefined)?.name === 'COMPLETED';
const resultOf = (p: Pipeline) => String((p.state as { result?: { name?: string } } | undefined)?.result?.name ?? '');

/** How far back a walk reaches before it stops: below every pipeline that may still change. */
function floorOf(state: PollState): number {
	return Math.min(state.highest ?? 0, ...Object.values(state.running ?? {}));
}

/**
 * Pipelines have no `updated_on` to watch, and finish in any order: the state keeps the highest build number seen
 * and the pipelines seen running. Each poll walks the newest pipelines down to the oldest one that may still
 * change, emits those that completed since (with a matching result), and remembers the ones still running.
 */
const pipelines: Watch = {
	async start(client, s) {
		const running: Record<string, number> = {};
		let highest = 0;
		for await (const page of client.pipelines.walk(s.ref, { filters: { branch: s.branch }, fields: values(['uuid', 'build_number', 'state.name']) })) {
			for (const p of page) {
				highest = Math.max(highest, p.build_number ?? 0);
				if (!completed(p)) running[p.uuid] = p.build_number ?? 0;
			}
			break;
		}
		return { highest, running };
	},
	async poll(client, s, state) {
		const floor = floorOf(state);
		const running = { ...state.running };
		let highest = state.highest ?? 0;
		const emit: Pipeline[] = [];
		const fields = s.simplify ? values(PIPELINE_FIELDS) : undefined;
		walk: for await (const page of client.pipelines.walk(s.ref, { filters: { branch: s.branch }, fields })) {
			for (const p of page) {
				const number = p.build_number ?? 0;
				if (number <= floor && !(p.uuid in running)) break walk;
				const isNew = number > (state.highest ?? 0);
				if (!isNew && !(p.uuid in running)) continue;
				if (completed(p)) {
					delete running[p.uuid];
					if (s.results.length === 0 || s.results.includes(resultOf(p))) emit.push(p);
				} else if (isNew) {
					running[p.uuid] = number;
				}
				highest = Math.max(highest, number);
			}
		}
		emit.sort((a, b) => (a.build_number ?? 0) - (b.build_number ?? 0));
		return { emit: emit as IDataObject[], next: { ...state, highest, running } };
	},
	async sample(client, s) {
		for await (const page of client.pipelines.walk(s.ref, { filters: { branch: s.branch }, fields: s.simplify ? values(PIPELINE_FIELDS) : undefined })) {
			const match = page.find((p) => completed(p) && (s.results.length === 0 || s.results.includes(resultOf(p))));
			return match ? [match as IDataObject] : [];
		}
		return [];
	},
};

/** Commits of one branch, newest first by hash cursor: everything above the head already emitted is new. */
const commits: Watch = {
	async start(client, s) {
		for await (const page of client.commits.walk(s.ref, { revision: branchOf(s), fields: values(['hash']) })) return { head: page[0]?.hash };
		return {};
	},
	async poll(client, s, state) {
		const fresh: Commit[] = [];
		let found = state.head === undefined;
		const fields = s.simplify ? values(COMMIT_FIELDS) : undefined;
		let pages = 0;
		walk: for await (const page of client.commits.walk(s.ref, { revision: branchOf(s), fields })) {
			pages++;
			for (const commit of page) {
				if (commit.hash === state.head) {
					found = true;
					break walk;
				}
				fresh.push(commit);
			}
			// The old head is gone (a force push rewrote the branch): stop after a bounded walk.
			if (pages >= 10) break;
		}
		if (!found) {
			// History was rewritten: start over from the new head rather than emit the whole branch.
			return { emit: [], next: { ...state, head: fresh[0]?.hash ?? state.head } };
		}
		const head = fresh[0]?.hash ?? state.head;
		return { emit: [...fresh].reverse() as IDataObject[], next: { ...state, head } };
	},
	async sample(client, s) {
		for await (const page of client.commits.walk(s.ref, { revision: branchOf(s), fields: s.simplify ? values(COMMIT_FIELDS) : undefined })) return page.slice(0, 1) as IDataObject[];
		return [];
	},
};

function branchOf(s: WatchSettings): string {
	return s.branch ?? '';
}

export const WATCHES: Record<WatchName, Watch> = { pullRequests, pipelines, commits, issues };
