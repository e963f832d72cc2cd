import type {
	AccountRecord,
	CommentRecord,
	CommitRecord,
	ParticipantRecord,
	PullRequestRecord,
	PullRequestState,
	RepoRef,
	RepositoryRecord,
} from '../model';
import { Prng } from '../prng';
import { seedTime } from '../time';
import type { SeedAccounts } from './accounts';
import { addBranch, commitMessage, mergeLineIntoMain, NAMED_BRANCHES, type SeededGit, type TopicLine } from './git';

/**
 * State of PR `id` is STATE_CYCLE[(id - 1) % 20]: 45 % OPEN, 35 % MERGED, 15 % DECLINED, 5 % SUPERSEDED
 * (120 PRs: 54 open, so the default OPEN-only list spans more than one page of 50).
 */
const STATE_CYCLE: readonly PullRequestState[] = [
	'OPEN', 'OPEN', 'MERGED', 'MERGED', 'OPEN', 'DECLINED', 'MERGED', 'OPEN', 'MERGED', 'OPEN',
	'OPEN', 'SUPERSEDED', 'OPEN', 'MERGED', 'MERGED', 'DECLINED', 'OPEN', 'MERGED', 'DECLINED', 'OPEN',
];

export function seededPullRequestState(id: number): PullRequestState {
	return STATE_CYCLE[(id - 1) % STATE_CYCLE.length];
}

/**
 * The first PRs come from named branches, with fixed titles. feat/user-export, feature/login-audit, develop and
 * release/2026.11 have no pull request, so tests and demos can open one from them.
 */
const NAMED_PULL_REQUESTS: ReadonlyArray<{ branch: string; title: string }> = [
	{ branch: 'bugfix/null-avatar', title: 'Fix crash when a user has no avatar' },
	{ branch: 'hotfix/2026.10.1', title: 'Hotfix 2026.10.1: session cookie flags' },
	{ branch: 'chore/deps-bump', title: 'Bump dependencies' },
	{ branch: 'docs/api-guide', title: 'Write the API guide' },
];

const DECLINE_REASONS = ['Superseded by a smaller change', 'Not needed any more', 'Approach rejected in review'];
const COMMENTS = ['Looks good to me.', 'Can we add a test for this?', 'Nit: naming.', 'Please rebase on main.', 'Ship it!'];

function slug(text: string): string {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export interface PullRequestSeedContext {
	repo: RepositoryRecord;
	repoRef: RepoRef;
	git: SeededGit;
	accounts: SeedAccounts;
	prng: Prng;
	nextCommentId: () => number;
}

export function seedPullRequests(ctx: PullRequestSeedContext, count: number): void {
	const { repo, git, accounts, prng } = ctx;
	const people = [accounts.dev, ...accounts.teammates];
	const lineFor = (name: string): TopicLine | undefined => ctx.git.lines[NAMED_BRANCHES.indexOf(name)];
	const span = git.spanMinutes;
	// Topic lines beyond the named branches: merged PRs and the others never share one, so open PRs keep their commits.
	const unnamed = git.lines.slice(NAMED_BRANCHES.length);
	const mergedPool = unnamed.slice(0, Math.ceil(unnamed.length * 0.4));
	const openPool = unnamed.slice(mergedPool.length);
	const branchNames = new Set(repo.branches.map((b) => b.name));
	const destinationTargets = new Map(repo.branches.map((b) => [b.name, b.target]));
	for (let id = 1; id <= count; id++) {
		const named = NAMED_PULL_REQUESTS[id - 1];
		const state = seededPullRequestState(id);
		const title = named ? named.title : `${commitMessage(prng)} (AX-${100 + id})`;
		const sourceName = named ? named.branch : `feature/AX-${100 + id}-${slug(title.replace(/ \(AX-\d+\)$/, ''))}`;
		const pool = state === 'MERGED' ? mergedPool : openPool;
		const line = named ? lineFor(named.branch) : pool[id % Math.max(1, pool.length)];
		const sourceCommit: CommitRecord = line?.tip ?? git.main[git.main.length - 1];
		const destinationName = id % 9 === 0 ? 'develop' : repo.mainbranch.name;
		const destinationCommit = destinationTargets.get(destinationName) ?? git.main[git.main.length - 1];
		const author = people[(id * 7) % people.length];
		const createdMinute = span * 0.05 + ((id - 1) * span * 0.9) / Math.max(1, count);
		const updatedMinute = createdMinute + (state === 'OPEN' ? prng.int(0, 600) : prng.int(30, 2400));
		const reviewers = people.filter((p) => p !== author && prng.chance(0.45)).slice(0, 3);
		if (reviewers.length === 0) reviewers.push(people.find((p) => p !== author) ?? accounts.dev);

		const pr: PullRequestRecord = {
			id,
			title,
			description: `${title}.\n\nTracked in AX-${100 + id}.`,
			state,
			author,
			source: { branch: { name: sourceName }, commit: { hash: sourceCommit.hash }, repository: ctx.repoRef },
			destination: { branch: { name: destinationName }, commit: { hash: destinationCommit.hash }, repository: ctx.repoRef },
			reviewers,
			participants: [],
			close_source_branch: id % 3 !== 0,
			draft: state === 'OPEN' && id % 11 === 0,
			queued: false,
			created_on: seedTime(createdMinute),
			updated_on: seedTime(updatedMinute),
			comment_count: 0,
			task_count: id % 4 === 0 ? 1 : 0,
			merge_commit: null,
			closed_by: null,
			reason: '',
			comments: [],
			activity: [],
			asyncMerge: id % 5 === 0,
		};
		pr.activity.push({ kind: 'update', date: pr.created_on, user: author, state: 'OPEN', title, description: pr.description, reason: '' });
		seedReviews(pr, createdMinute, updatedMinute, prng);
		seedComments(ctx, pr, createdMinute, updatedMinute);
		if (state === 'MERGED') {
			const mergeCommit = destinationName === repo.mainbranch.name && line ? mergeLineIntoMain(git, line) : destinationCommit;
			pr.merge_commit = { hash: mergeCommit.hash };
		}
		if (state !== 'OPEN') {
			pr.closed_by = state === 'MERGED' ? (reviewers[0] ?? author) : author;
			pr.reason = state === 'DECLINED' ? DECLINE_REASONS[id % DECLINE_REASONS.length] : '';
			pr.activity.push({ kind: 'update', date: pr.updated_on, user: pr.closed_by, state, title, description: pr.description, reason: pr.reason });
		}
		repo.pullRequests.push(pr);
		const branchSurvives = state !== 'MERGED' || !pr.close_source_branch;
		if (branchSurvives && !branchNames.has(sourceName)) {
			addBranch(repo, sourceName, sourceCommit);
			branchNames.add(sourceName);
		}
	}
}

function seedReviews(pr: PullRequestRecord, createdMinute: number, updatedMinute: number, prng: Prng): void {
	pr.participants = pr.reviewers.map((user, index): ParticipantRecord => {
		const approved = pr.state === 'MERGED' ? index === 0 || prng.chance(0.5) : prng.chance(0.35);
		const changesRequested = !approved && pr.state === 'OPEN' && prng.chance(0.25);
		const when = approved || changesRequested ? seedTime(createdMinute + (updatedMinute - createdMinute) * 0.5 + index) : null;
		if (when) pr.activity.push({ kind: approved ? 'approval' : 'changes_requested', date: when, user });
		return {
			user,
			role: 'REVIEWER',
			approved,
			state: approved ? 'approved' : changesRequested ? 'changes_requested' : null,
			participated_on: when,
		};
	});
}

function seedComments(ctx: PullRequestSeedContext, pr: PullRequestRecord, createdMinute: number, updatedMinute: number): void {
	const people: AccountRecord[] = [pr.author, ...pr.reviewers];
	const count = pr.id % 4 === 1 ? 0 : ctx.prng.int(0, 3);
	for (let i = 0; i < count; i++) {
		const user = people[i % people.length];
		const when = seedTime(createdMinute + ((updatedMinute - createdMinute) * (i + 1)) / (count + 2));
		const comment: CommentRecord = {
			id: ctx.nextCommentId(),
			content: { raw: COMMENTS[(pr.id + i) % COMMENTS.length] },
			user,
			created_on: when,
			updated_on: when,
			deleted: false,
			parent_id: null,
			inline: i === 1 ? { path: 'src/api/users.ts', from: null, to: 10 + pr.id } : null,
		};
		pr.comments.push(comment);
		pr.activity.push({ kind: 'comment', date: when, comment });
		if (!pr.participants.some((p) => p.user === user) && user !== pr.author) {
			pr.participants.push({ user, role: 'PARTICIPANT', approved: false, state: null, participated_on: when });
		}
	}
	pr.comment_count = pr.comments.length;
	pr.activity.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
