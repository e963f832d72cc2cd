/**
 * Deterministic seed data: the same options always give the same workspaces, repositories, hashes, ids and timestamps
 * (a fixed PRNG seed, timestamps counted from SEED_EPOCH_MS = 2026-01-01T00:00:00Z).
 */
import { type HookRecord, type ProjectRecord, type RepositoryRecord, SandboxState, type WorkspaceRecord } from './model';
import { Prng, uuidOf } from './prng';
import { SEED_EPOCH_MS, seedTime } from './time';
import type { SeedOptions } from './types';
import { seedAccounts, type SeedAccounts } from './seeding/accounts';
import { addBranch, NAMED_BRANCHES, seedGit, seedTags } from './seeding/git';
import { seedIssues } from './seeding/issues';
import { seedDeployments, seedEnvironments, seedPipelines } from './seeding/pipelines';
import { seedPullRequests } from './seeding/pullrequests';
import { axionFiles, seedVariables } from './seeding/files';
import { createRepositoryRecord } from './seeding/repositories';

export const DEFAULT_SEED: Readonly<Required<SeedOptions>> = {
	pullRequests: 120,
	commits: 260,
	pipelines: 30,
	issues: 25,
	repositories: 12,
};

export const PRNG_SEED = 20260101;

const EXTRA_REPOSITORIES: ReadonlyArray<[string, string]> = [
	['axion-web', 'typescript'],
	['axion-mobile', 'kotlin'],
	['billing-service', 'go'],
	['auth-gateway', 'go'],
	['infra-terraform', 'hcl'],
	['design-system', 'typescript'],
	['data-pipeline', 'python'],
	['notification-service', 'java'],
	['docs-site', 'markdown'],
	['search-indexer', 'rust'],
	['analytics-etl', 'python'],
	['release-tools', 'shell'],
];

function workspace(slug: string, name: string, accounts: SeedAccounts, admins: string[]): WorkspaceRecord {
	return {
		uuid: uuidOf(`workspace:${slug}`),
		slug,
		name,
		is_private: true,
		created_on: seedTime(-600 * 24 * 60),
		updated_on: seedTime(-30 * 24 * 60),
		hooks: [],
		admins,
		members: accounts.all.map((a) => a.uuid),
	};
}

function project(ws: WorkspaceRecord, key: string, name: string): ProjectRecord {
	return {
		uuid: uuidOf(`project:${ws.slug}:${key}`),
		workspaceSlug: ws.slug,
		key,
		name,
		description: `${name} projects`,
		is_private: true,
		created_on: ws.created_on,
		updated_on: ws.updated_on,
	};
}

function hook(label: string, url: string, events: string[], subject: HookRecord['subject_type'], secret: string | null): HookRecord {
	return { uuid: uuidOf(`hook:${label}`), url, description: `${label} webhook`, events, active: true, secret, created_at: seedTime(-10 * 24 * 60), subject_type: subject };
}

export function createSeedState(options: SeedOptions = {}): SandboxState {
	const sizes = { ...DEFAULT_SEED, ...options };
	const prng = new Prng(PRNG_SEED);
	const state = new SandboxState(SEED_EPOCH_MS);
	let commentSerial = 100000;
	const nextCommentId = (): number => ++commentSerial;

	const accounts = seedAccounts();
	state.users.push(...accounts.all);
	const axionWs = workspace('technocore_axion', 'Technocore Axion', accounts, [accounts.dev.uuid]);
	const labsWs = workspace('axion-labs', 'Axion Labs', accounts, []);
	state.workspaces.push(axionWs, labsWs);
	axionWs.hooks.push(hook('workspace-audit', 'https://hooks.axion.test/workspace', ['repo:created', 'repo:deleted'], 'workspace', null));
	const core = project(axionWs, 'AX', 'Axion Core');
	const ops = project(axionWs, 'OPS', 'Operations');
	const lab = project(labsWs, 'LAB', 'Experiments');
	state.projects.push(core, ops, lab);

	const people = [accounts.dev, ...accounts.teammates];
	const spanMinutes = Math.max(sizes.commits, sizes.pullRequests, 200) * 40;

	const axion = createRepositoryRecord({
		workspace: axionWs,
		project: core,
		slug: 'axion',
		uuid: uuidOf('repo:technocore_axion/axion'),
		name: 'axion',
		description: 'Axion platform: API, web app and workers',
		hasIssues: true,
		language: 'typescript',
		createdOn: seedTime(-400 * 24 * 60),
		files: axionFiles(),
	});
	state.repositories.push(axion);
	const git = seedGit(axion, sizes.commits, spanMinutes, people, prng);
	NAMED_BRANCHES.forEach((name, index) => addBranch(axion, name, git.lines[index]?.tip ?? git.main[git.main.length - 1]));
	seedTags(axion, git.main, accounts.dev, 8);
	seedPullRequests(
		{ repo: axion, repoRef: { uuid: axion.uuid, name: axion.name, full_name: axion.full_name }, git, accounts, prng, nextCommentId },
		sizes.pullRequests,
	);
	seedPipelines({ repo: axion, people, spanMinutes }, sizes.pipelines);
	seedEnvironments(axion);
	seedVariables(axion);
	seedDeployments(axion, new Map(axion.commits.map((c) => [c.hash, c])));
	seedIssues({ repo: axion, people, prng, spanMinutes, nextCommentId }, sizes.issues);
	axion.hooks.push(hook('axion-ci', 'https://hooks.axion.test/bitbucket', ['repo:push', 'pullrequest:created', 'pullrequest:fulfilled'], 'repository', 'seeded-secret'));
	const mainTip = git.main[git.main.length - 1];
	axion.statuses.push({
		key: 'AXION-CI',
		commit: mainTip.hash,
		refname: 'main',
		url: 'https://ci.axion.test/builds/1',
		state: 'SUCCESSFUL',
		name: 'Axion CI #1',
		description: '212 tests passed',
		created_on: mainTip.date,
		updated_on: mainTip.date,
	});
	axion.updated_on = axion.commits[0]?.date ?? axion.updated_on;
	axion.size = 48_000_000;

	const noTracker = createRepositoryRecord({
		workspace: axionWs,
		project: core,
		slug: 'no-tracker',
		uuid: uuidOf('repo:technocore_axion/no-tracker'),
		description: 'A repository with the issue tracker turned off',
		hasIssues: false,
		language: 'typescript',
		createdOn: seedTime(-300 * 24 * 60),
	});
	seedSmallRepository(state, noTracker, people, prng);

	for (let i = 0; i < sizes.repositories; i++) {
		const [slug, language] = EXTRA_REPOSITORIES[i] ?? [`service-${String(i + 1).padStart(2, '0')}`, 'typescript'];
		const repo = createRepositoryRecord({
			workspace: axionWs,
			project: i % 2 === 0 ? core : ops,
			slug,
			uuid: uuidOf(`repo:technocore_axion/${slug}`),
			description: `${slug} (seeded)`,
			hasIssues: i % 3 === 0,
			language,
			isPrivate: i % 4 !== 3,
			createdOn: seedTime(-(250 - i) * 24 * 60),
		});
		seedSmallRepository(state, repo, people, prng);
	}

	const playground = createRepositoryRecord({
		workspace: labsWs,
		project: lab,
		slug: 'playground',
		uuid: uuidOf('repo:axion-labs/playground'),
		description: 'Experiments',
		language: 'python',
		createdOn: seedTime(-100 * 24 * 60),
	});
	seedSmallRepository(state, playground, people, prng);
	return state;
}

function seedSmallRepository(state: SandboxState, repo: RepositoryRecord, people: SeedAccounts['all'], prng: Prng): void {
	state.repositories.push(repo);
	const git = seedGit(repo, 4, 400, people, prng);
	repo.updated_on = git.main[git.main.length - 1].date;
	repo.size = 120_000;
}
