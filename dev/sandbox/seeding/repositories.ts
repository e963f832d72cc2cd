import type { FileTree, ProjectRecord, RepositoryRecord, WorkspaceRecord } from '../model';

export interface NewRepository {
	workspace: WorkspaceRecord;
	project: ProjectRecord;
	slug: string;
	uuid: string;
	name?: string;
	description?: string;
	isPrivate?: boolean;
	hasIssues?: boolean;
	language?: string;
	forkPolicy?: RepositoryRecord['fork_policy'];
	mainBranch?: string;
	createdOn: string;
	/** The files of every seeded commit (default: a README). */
	files?: FileTree;
}

/** An empty repository record; git data, pull requests and the rest are filled in by the caller. */
export function createRepositoryRecord(input: NewRepository): RepositoryRecord {
	return {
		uuid: input.uuid,
		slug: input.slug,
		name: input.name ?? input.slug,
		full_name: `${input.workspace.slug}/${input.slug}`,
		workspace: input.workspace,
		project: input.project,
		description: input.description ?? '',
		is_private: input.isPrivate ?? true,
		has_issues: input.hasIssues ?? false,
		has_wiki: false,
		language: input.language ?? '',
		fork_policy: input.forkPolicy ?? 'no_public_forks',
		size: 0,
		created_on: input.createdOn,
		updated_on: input.createdOn,
		mainbranch: { name: input.mainBranch ?? 'main' },
		branches: [],
		tags: [],
		commits: [],
		pullRequests: [],
		mergeTasks: [],
		pipelines: [],
		issues: [],
		hooks: [],
		statuses: [],
		environments: [],
		deployments: [],
		files: input.files ?? new Map([['README.md', { content: Buffer.from(`# ${input.name ?? input.slug}\n`), attributes: [] }]]),
		pipelineVariables: [],
	};
}
