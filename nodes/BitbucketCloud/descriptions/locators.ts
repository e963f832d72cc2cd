/**
 * Resource locators (From List / By URL / By Slug, Name or ID) for workspace, repository, branch and pull request,
 * shared by the operations. helpers/locators.ts reads them, for the operations and the searchable lists alike.
 */
import type { INodeProperties } from 'n8n-workflow';

const SLUG = '[-\\w.]+';

export const BITBUCKET_URL = {
	workspace: `^https?://(?:www\\.)?bitbucket\\.org/(${SLUG})/?$`,
	repository: `^https?://(?:www\\.)?bitbucket\\.org/(${SLUG})/(${SLUG})(?:/.*)?$`,
	pullRequest: `^https?://(?:www\\.)?bitbucket\\.org/(${SLUG})/(${SLUG})/pull-requests/(\\d+)(?:[/?#].*)?$`,
	branch: `^https?://(?:www\\.)?bitbucket\\.org/(${SLUG})/(${SLUG})/(?:branch|src)/([^?#]+?)/?(?:[?#].*)?$`,
} as const;

export const workspaceLocator: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	hint: "Empty: the credential's default workspace",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a workspace…',
			typeOptions: { searchListMethod: 'searchWorkspaces', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://bitbucket.org/my-team',
			validation: [
				{
					type: 'regex',
					properties: { regex: BITBUCKET_URL.workspace, errorMessage: 'Not a Bitbucket workspace URL' },
				},
			],
		},
		{
			displayName: 'By Slug',
			name: 'slug',
			type: 'string',
			placeholder: 'e.g. my-team',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^(\\{[-0-9a-fA-F]+\\}|[-\\w.]*)$', errorMessage: 'Not a valid workspace ID' },
				},
			],
		},
	],
};

export const repositoryLocator: INodeProperties = {
	displayName: 'Repository',
	name: 'repository',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	hint: "Empty: the credential's default repository",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a repository…',
			typeOptions: { searchListMethod: 'searchRepositories', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://bitbucket.org/my-team/my-repo',
			validation: [
				{
					type: 'regex',
					properties: { regex: BITBUCKET_URL.repository, errorMessage: 'Not a Bitbucket repository URL' },
				},
			],
		},
		{
			displayName: 'By Slug',
			name: 'slug',
			type: 'string',
			placeholder: 'e.g. my-repo',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^(\\{[-0-9a-fA-F]+\\}|[-\\w.]*)$', errorMessage: 'Not a valid repository slug' },
				},
			],
		},
	],
};

export function branchLocator(name = 'branch', displayName = 'Branch', required = true): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a branch…',
				typeOptions: { searchListMethod: 'searchBranches', searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://bitbucket.org/my-team/my-repo/branch/feature/login',
				validation: [
					{ type: 'regex', properties: { regex: BITBUCKET_URL.branch, errorMessage: 'Not a Bitbucket branch URL' } },
				],
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. feature/login',
			},
		],
	};
}

export const pullRequestLocator: INodeProperties = {
	displayName: 'Pull Request',
	name: 'pullRequest',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a pull request…',
			typeOptions: { searchListMethod: 'searchPullRequests', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://bitbucket.org/my-team/my-repo/pull-requests/42',
			validation: [
				{
					type: 'regex',
					properties: { regex: BITBUCKET_URL.pullRequest, errorMessage: 'Not a Bitbucket pull request URL' },
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 42',
			validation: [{ type: 'regex', properties: { regex: '^\\d+$', errorMessage: 'Must be a number' } }],
		},
	],
};

/** Workspace + repository, the first two fields of every repository-scoped operation. */
export const repoLocators: INodeProperties[] = [workspaceLocator, repositoryLocator];
