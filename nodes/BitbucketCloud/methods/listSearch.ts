/**
 * Searchable, paginated lists behind the resource locators. Each page is one Bitbucket page; n8n passes the
 * `next` link back as the pagination token.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeParameterResourceLocator,
} from 'n8n-workflow';

import { PAGE_SIZE } from '../../shared/bitbucket/client';
import { BitbucketApiError } from '../../shared/bitbucket/errors';
import { path, refName, repoPath, repoSlug, workspaceId } from '../../shared/bitbucket/paths';
import type { PullRequest, Ref, Repository, WorkspaceAccess } from '../../shared/bitbucket/types';
import { bbqlString } from '../actions/repository/getMany.operation';
import { BITBUCKET_URL } from '../descriptions/locators';
import { toNodeError } from '../helpers/errors';
import { connect } from '../transport';

const LIST_PAGE = 50;

function currentLocator(context: ILoadOptionsFunctions, name: string): string {
	const raw = context.getCurrentNodeParameter(name) as INodeParameterResourceLocator | string | undefined;
	const value = raw && typeof raw === 'object' ? String(raw.value ?? '') : String(raw ?? '');
	const mode = raw && typeof raw === 'object' ? raw.mode : 'id';
	if (mode === 'url') {
		const pattern = name === 'workspace' ? BITBUCKET_URL.workspace : BITBUCKET_URL.repository;
		const m = new RegExp(pattern).exec(value);
		return m ? (name === 'workspace' ? m[1] : `${m[1]}/${m[2]}`) : '';
	}
	return value.trim();
}

async function repoContext(context: ILoadOptionsFunctions) {
	const connected = await connect(context);
	const repoValue = currentLocator(context, 'repository') || connected.defaults.repository;
	let workspace = currentLocator(context, 'workspace') || connected.defaults.workspace;
	let repo = repoValue;
	if (repoValue.includes('/')) [workspace, repo] = repoValue.split('/');
	return { ...connected, ref: { workspace: workspaceId(workspace), repo: repoSlug(repo) } };
}

async function searchWorkspacesPage(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, defaults } = await connect(this);
	const q = filter ? `workspace.slug ~ ${bbqlString(filter)} OR workspace.name ~ ${bbqlString(filter)}` : undefined;
	try {
		const page = await client.http.page<WorkspaceAccess>('/user/workspaces', { pagelen: PAGE_SIZE.default, q }, paginationToken);
		return {
			results: page.values.map((w) => ({
				name: w.workspace.name ?? w.workspace.slug,
				value: w.workspace.slug,
				url: `https://bitbucket.org/${w.workspace.slug}`,
			})),
			paginationToken: page.next,
		};
	} catch (error) {
		// Access tokens cannot list the user's workspaces: offer the credential's own workspace.
		if (error instanceof BitbucketApiError && (error.status === 401 || error.status === 403) && defaults.workspace) {
			return { results: [{ name: defaults.workspace, value: defaults.workspace, url: `https://bitbucket.org/${defaults.workspace}` }] };
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- mapped by withNodeErrors below
		throw error;
	}
}

async function searchRepositoriesPage(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, defaults } = await connect(this);
	const workspace = workspaceId(currentLocator(this, 'workspace') || defaults.workspace);
	const page = await client.http.page<Repository>(
		path('repositories', workspace),
		{ pagelen: LIST_PAGE, sort: 'name', q: filter ? `name ~ ${bbqlString(filter)}` : undefined },
		paginationToken,
	);
	return {
		results: page.values.map((r) => ({
			name: r.name,
			value: r.slug ?? r.full_name.split('/')[1],
			url: `https://bitbucket.org/${r.full_name}`,
		})),
		paginationToken: page.next,
	};
}

async function searchBranchesPage(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, ref } = await repoContext(this);
	const page = await client.http.page<Ref>(
		repoPath(ref, 'refs', 'branches'),
		{ pagelen: LIST_PAGE, sort: 'name', q: filter ? `name ~ ${bbqlString(filter)}` : undefined },
		paginationToken,
	);
	return {
		results: page.values.map((b) => ({
			name: b.name,
			value: refName(b.name),
			url: `https://bitbucket.org/${ref.workspace}/${ref.repo}/branch/${b.name}`,
		})),
		paginationToken: page.next,
	};
}

async function searchPullRequestsPage(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, ref } = await repoContext(this);
	const text = (filter ?? '').trim();
	const q = text ? (/^#?\d+$/.test(text) ? `id = ${text.replace('#', '')}` : `title ~ ${bbqlString(text)}`) : undefined;
	const page = await client.http.page<PullRequest>(
		repoPath(ref, 'pullrequests'),
		{ pagelen: PAGE_SIZE.pullRequests, sort: '-updated_on', q, fields: 'values.id,values.title,values.state,next' },
		paginationToken,
	);
	const results: INodeListSearchItems[] = page.values.map((pr) => ({
		name: `#${pr.id} ${pr.title}`,
		value: String(pr.id),
		url: `https://bitbucket.org/${ref.workspace}/${ref.repo}/pull-requests/${pr.id}`,
	}));
	return { results, paginationToken: page.next };
}

type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** Shows Bitbucket's error (or a bad workspace/repository field) in the dropdown as n8n errors. */
function withNodeErrors(search: Search): Search {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		try {
			return await search.call(this, filter, paginationToken);
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	};
}

export const searchWorkspaces = withNodeErrors(searchWorkspacesPage);
export const searchRepositories = withNodeErrors(searchRepositoriesPage);
export const searchBranches = withNodeErrors(searchBranchesPage);
export const searchPullRequests = withNodeErrors(searchPullRequestsPage);
