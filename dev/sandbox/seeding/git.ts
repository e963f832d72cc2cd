import type { AccountRecord, BranchRecord, CommitRecord, FileChange, RepositoryRecord } from '../model';
import { hashOf, Prng } from '../prng';
import { seedTime } from '../time';

const FILES = [
	'src/index.ts',
	'src/api/users.ts',
	'src/api/export.ts',
	'src/auth/login.ts',
	'src/auth/audit.ts',
	'src/db/schema.sql',
	'src/db/migrations/0001_init.sql',
	'src/ui/App.tsx',
	'src/ui/UserTable.tsx',
	'docs/api.md',
	'test/users.test.ts',
	'test/auth.test.ts',
	'README.md',
	'package.json',
	'bitbucket-pipelines.yml',
];

const VERBS = ['Add', 'Fix', 'Refactor', 'Document', 'Speed up', 'Harden', 'Simplify', 'Test'];
const SUBJECTS = [
	'user export',
	'login audit trail',
	'session handling',
	'CSV encoding',
	'pipeline cache',
	'avatar fallback',
	'rate limiter',
	'schema migration',
	'search indexing',
	'webhook retries',
	'release notes',
	'dependency updates',
];

export function commitMessage(prng: Prng): string {
	return `${prng.pick(VERBS)} ${prng.pick(SUBJECTS)}`;
}

function fileChanges(prng: Prng): FileChange[] {
	const count = prng.int(1, 3);
	const changes: FileChange[] = [];
	for (let i = 0; i < count; i++) {
		const path = prng.pick(FILES);
		if (changes.some((c) => c.path === path)) continue;
		const status = prng.chance(0.15) ? 'added' : 'modified';
		changes.push({ path, status, lines_added: prng.int(1, 120), lines_removed: status === 'added' ? 0 : prng.int(0, 60) });
	}
	return changes;
}

/** A run of commits on top of a main-line commit: the history of one topic branch. */
export interface TopicLine {
	forkIndex: number;
	commits: CommitRecord[];
	tip: CommitRecord;
}

export interface SeededGit {
	main: CommitRecord[];
	lines: TopicLine[];
	/** Seed minutes of the first and last main-line commits. */
	spanMinutes: number;
}

/** Named branches that always exist in axion besides main (each gets its own topic line). */
export const NAMED_BRANCHES = [
	'develop',
	'feat/user-export',
	'feature/login-audit',
	'release/2026.11',
	'bugfix/null-avatar',
	'hotfix/2026.10.1',
	'chore/deps-bump',
	'docs/api-guide',
];

export function seedGit(repo: RepositoryRecord, totalCommits: number, spanMinutes: number, authors: AccountRecord[], prng: Prng): SeededGit {
	const total = Math.max(1, totalCommits);
	const mainCount = total < 8 ? total : Math.ceil(total * 0.55);
	const startMinute = -spanMinutes * 0.2;
	const step = (spanMinutes * 1.15) / Math.max(1, mainCount);
	let serial = 0;
	const makeCommit = (minute: number, parents: string[]): CommitRecord => {
		serial += 1;
		return {
			hash: hashOf(`${repo.full_name}:commit:${serial}`),
			date: seedTime(minute),
			message: serial === 1 ? 'Initial commit' : commitMessage(prng),
			author: prng.pick(authors),
			parents,
			files: serial === 1 ? [{ path: 'README.md', status: 'added', lines_added: 12, lines_removed: 0 }] : fileChanges(prng),
		};
	};

	const main: CommitRecord[] = [];
	for (let i = 0; i < mainCount; i++) {
		main.push(makeCommit(startMinute + i * step, i === 0 ? [] : [main[i - 1].hash]));
	}

	const lines: TopicLine[] = [];
	let remaining = total - mainCount;
	while (remaining > 0) {
		const length = Math.min(remaining, prng.int(1, 4));
		const forkIndex = prng.int(Math.floor(mainCount * 0.3), mainCount - 1);
		const forkMinute = startMinute + forkIndex * step;
		const commits: CommitRecord[] = [];
		for (let j = 0; j < length; j++) {
			const parent = j === 0 ? main[forkIndex].hash : commits[j - 1].hash;
			commits.push(makeCommit(forkMinute + (j + 1) * Math.min(11, step / 5), [parent]));
		}
		lines.push({ forkIndex, commits, tip: commits[commits.length - 1] });
		remaining -= length;
	}

	repo.commits = [...main, ...lines.flatMap((l) => l.commits)].sort((a, b) =>
		a.date === b.date ? (a.hash < b.hash ? 1 : -1) : a.date < b.date ? 1 : -1,
	);
	repo.branches = [{ name: repo.mainbranch.name, target: main[main.length - 1] }];
	return { main, lines, spanMinutes };
}

/** Marks a topic line as merged into main: the first later single-parent main commit gets its tip as second parent. */
export function mergeLineIntoMain(git: SeededGit, line: TopicLine): CommitRecord {
	for (let i = line.forkIndex + 1; i < git.main.length; i++) {
		const candidate = git.main[i];
		if (candidate.date > line.tip.date && candidate.parents.length === 1) {
			candidate.parents.push(line.tip.hash);
			candidate.message = `Merged in ${candidate.message.toLowerCase()}`;
			return candidate;
		}
	}
	return git.main[git.main.length - 1];
}

export function addBranch(repo: RepositoryRecord, name: string, target: CommitRecord): BranchRecord {
	const branch = { name, target };
	repo.branches.push(branch);
	return branch;
}

export function seedTags(repo: RepositoryRecord, main: CommitRecord[], tagger: AccountRecord, count: number): void {
	const every = Math.max(1, Math.floor(main.length / (count + 1)));
	for (let i = 1; i <= count && i * every < main.length; i++) {
		const target = main[i * every];
		repo.tags.push({ name: `v1.${i - 1}.0`, target, message: `Release v1.${i - 1}.0`, date: target.date, tagger });
	}
}
