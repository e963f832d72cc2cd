/**
 * Searchable, paginated lists behind the resource locators ("From List"). Each page is one Bitbucket page,
 * fetched through the client; n8n passes the `next` link back as the pagination token. The workspace and
 * repository the lists use are read by helpers/locators.ts, the same reader the operations use.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { BitbucketApiError } from '../../shared/bitbucket/errors';
import type { RepoRef } from '../../shared/bitbucket/paths';
import { contains } from '../helpers/bbql';
import { toNodeError } from '../helpers/errors';
import { locatorOf, repoFrom, workspaceFrom, type Defaults } from '../helpers/locators';
import { connect, type ConnectedClient } from '../transport';

/** Entries per page of a list: enough to scroll, small enough to answer fast. */
const LIST_PAGE = 50;

function current(context: ILoadOptionsFunctions, name: string) {
	return locatorOf(context.getCurrentNodeParameter(name));
}

function workspaceOf(context: ILoadOptionsFunctions, defaults: Defaults): string {
	return workspaceFrom(current(context, 'workspace'), defaults);
}

function repoOf(context: ILoadOptionsFunctions, defaults: Defaults): RepoRef {
	return repoFrom(current(context, 'workspace'), current(context, 'repository'), defaults);
}

type Search = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** Connects, runs the search, and shows Bitbucket's error (or a bad workspace/repository field) as n8n errors. */
function search(run: (connected: ConnectedClient, context: ILoadOptionsFunctions, filter: string, token?: string) => Promise<INodeListSearchResult>): Search {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		const outcome = await connect(this)
			.then(async (connected) => await run(connected, this, (filter ?? '').trim(), paginationToken))
			.then(
				(result) => ({ result }),
				(error: unknown) => ({ error }),
			);
		if ('error' in outcome) throw toNodeError(this.getNode(), outcome.error, 0);
		return outcome.result;
	};
}

export const searchWorkspaces = search(async ({ client, defaults }, _context, filter, token) => {
	const q = filter ? `${contains('workspace.slug', filter)} OR ${contains('workspace.name', filter)}` : undefined;
	const page = await client.workspaces.page({ q, pagelen: LIST_PAGE }, token).catch((error: unknown) => {
		// Access tokens cannot list the user's workspaces: offer the credential's own workspace instead.
		const denied = error instanceof BitbucketApiError && (error.status === 401 || error.status === 403);
		return denied && defaults.workspace ? { values: [{ workspace: { slug: defaults.workspace, name: defaults.workspace } }] } : Promise.reject(error);
	});
	return {
		results: page.values.map((w) => ({
			name: w.workspace.name ?? w.workspace.slug,
			value: w.workspace.slug,
			url: `https://bitbucket.org/${w.workspace.slug}`,
		})),
		paginationToken: 'next' in page ? page.next : undefined,
	};
});

export const searchRepositories = search(async ({ client, defaults }, context, filter, token) => {
	const page = await client.repositories.page(workspaceOf(context, defaults), { q: contains('name', filter), sort: 'name', pagelen: LIST_PAGE }, token);
	return {
		results: page.values.map((r) => ({
			name: r.name,
			value: r.slug ?? r.full_name.split('/')[1],
			url: `https://bitbucket.org/${r.full_name}`,
		})),
		paginationToken: page.next,
	};
});

export const searchBranches = search(async ({ client, defaults }, context, filter, token) => {
	const ref = repoOf(context, defaults);
	const page = await client.refs.pageBranches(ref, { q: contains('name', filter), sort: 'name', pagelen: LIST_PAGE }, token);
	return {
		results: page.values.map((b) => ({
			name: b.name,
			value: b.name,
			url: `https://bitbucket.org/${ref.workspace}/${ref.repo}/branch/${b.name}`,
		})),
		paginationToken: page.next,
	};
});

export const searchPullRequests = search(async ({ client, defaults }, context, filter, token) => {
	const ref = repoOf(context, defaults);
	const q = /^#?\d+$/.test(filter) ? `id = ${filter.replace('#', '')}` : contains('title', filter);
	const page = await client.pullRequests.page(
		ref,
		{ q, sort: '-updated_on', fields: 'values.id,values.title,values.state,next' },
		token,
	);
	return {
		results: page.values.map((pr) => ({
			name: `#${pr.id} ${pr.title}`,
			value: String(pr.id),
			url: `https://bitbucket.org/${ref.workspace}/${ref.repo}/pull-requests/${pr.id}`,
		})),
		paginationToken: page.next,
	};
});

/** Deployment environments (a repository has a handful): filtered by name here, valued by UUID. */
export const searchEnvironments = search(async ({ client, defaults }, context, filter) => {
	const ref = repoOf(context, defaults);
	const environments = await client.deployments.listEnvironments(ref, { limit: 200 });
	const wanted = filter.toLowerCase();
	return {
		results: environments
			.map((e) => ({ name: String(e.name ?? e.uuid), value: String(e.uuid) }))
			.filter((e) => !wanted || e.name.toLowerCase().includes(wanted))
			.map((e) => ({ ...e, url: `https://bitbucket.org/${ref.workspace}/${ref.repo}/deployments` })),
	};
});
