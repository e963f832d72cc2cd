import type { AccountRecord, IssueKind, IssuePriority, IssueRecord, IssueState, RepositoryRecord } from '../model';
import { Prng } from '../prng';
import { seedTime } from '../time';

const STATES: readonly IssueState[] = ['new', 'open', 'open', 'resolved', 'on hold', 'closed', 'new', 'invalid', 'duplicate', 'wontfix'];
const KINDS: readonly IssueKind[] = ['bug', 'enhancement', 'task', 'proposal'];
const PRIORITIES: readonly IssuePriority[] = ['major', 'minor', 'critical', 'trivial', 'blocker'];
const TOPICS = ['Export fails for unicode names', 'Login audit misses SSO logins', 'Avatar upload too slow', 'Dark mode contrast', 'Flaky pipeline cache', 'Pagination drops rows'];

export interface IssueSeedContext {
	repo: RepositoryRecord;
	people: AccountRecord[];
	prng: Prng;
	spanMinutes: number;
	nextCommentId: () => number;
}

/** Issue `id` has state STATES[(id - 1) % 10], kind KINDS[(id - 1) % 4], priority PRIORITIES[(id - 1) % 5]. */
export function seedIssues(ctx: IssueSeedContext, count: number): void {
	for (let id = 1; id <= count; id++) {
		const created = ctx.spanMinutes * 0.02 + ((id - 1) * ctx.spanMinutes * 0.9) / Math.max(1, count);
		const updated = created + ctx.prng.int(10, 3000);
		const reporter = ctx.people[id % ctx.people.length];
		const issue: IssueRecord = {
			id,
			title: `${TOPICS[(id - 1) % TOPICS.length]}${id > TOPICS.length ? ` (#${id})` : ''}`,
			content: { raw: `Steps to reproduce issue ${id}:\n\n1. Open Axion\n2. Try it` },
			reporter,
			assignee: id % 3 === 0 ? null : ctx.people[(id + 2) % ctx.people.length],
			state: STATES[(id - 1) % STATES.length],
			kind: KINDS[(id - 1) % KINDS.length],
			priority: PRIORITIES[(id - 1) % PRIORITIES.length],
			votes: id % 5,
			created_on: seedTime(created),
			updated_on: seedTime(updated),
			edited_on: id % 4 === 0 ? seedTime(updated) : null,
			comments: [],
		};
		const comments = id % 2 === 0 ? 2 : 0;
		for (let i = 0; i < comments; i++) {
			const when = seedTime(created + (i + 1) * 5);
			issue.comments.push({
				id: ctx.nextCommentId(),
				content: { raw: i === 0 ? 'I can reproduce this.' : 'Fixed on develop, please verify.' },
				user: ctx.people[(id + i) % ctx.people.length],
				created_on: when,
				updated_on: when,
				deleted: false,
				parent_id: null,
				inline: null,
			});
		}
		ctx.repo.issues.push(issue);
	}
}
