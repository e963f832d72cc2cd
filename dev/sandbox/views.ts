/** JSON representations shared by several resources, shaped after the spec's definitions. */
import { href, type Links } from './links';
import type { AccountRecord, BranchRecord, BuildStatusRecord, CommitRecord, MergeStrategy, ProjectRecord, RepositoryRecord, TagRecord, WorkspaceRecord } from './model';
import { MERGE_STRATEGIES } from './model';

export type Json = Record<string, unknown>;

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const renderedCache = new Map<string, Json>();

export function rendered(raw: string): Json {
	const hit = renderedCache.get(raw);
	if (hit) return hit;
	const html = raw
		.split(/\n{2,}/)
		.filter((p) => p.length > 0)
		.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
		.join('\n');
	const view = { type: 'rendered', raw, markup: 'markdown', html };
	if (renderedCache.size > 50_000) renderedCache.clear();
	renderedCache.set(raw, view);
	return view;
}

export function accountView(links: Links, user: AccountRecord): Json {
	return links.memo(user, 'account', () => ({
		display_name: user.display_name,
		links: {
			self: href(links.api('users', user.uuid)),
			avatar: href(`https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${user.account_id}/128`),
			html: href(links.html(user.uuid) + '/'),
		},
		type: 'user',
		uuid: user.uuid,
		account_id: user.account_id,
		nickname: user.nickname,
	}));
}

export function userView(links: Links, user: AccountRecord): Json {
	return {
		...accountView(links, user),
		created_on: user.created_on,
		account_status: 'active',
		has_2fa_enabled: null,
		is_staff: false,
		location: null,
		kind: 'user',
		links: {
			self: href(links.api('user')),
			avatar: href(`https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${user.account_id}/128`),
			repositories: href(links.api('repositories', user.uuid)),
			snippets: href(links.api('snippets', user.uuid)),
			html: href(links.html(user.uuid) + '/'),
			hooks: href(links.api('workspaces', user.uuid, 'hooks')),
		},
	};
}

export function workspaceBaseView(links: Links, ws: WorkspaceRecord): Json {
	return {
		type: 'workspace_base',
		uuid: ws.uuid,
		slug: ws.slug,
		links: {
			avatar: href(`https://bitbucket.org/workspaces/${ws.slug}/avatar/?ts=1767225600`),
			self: href(links.api('workspaces', ws.slug)),
		},
	};
}

export function workspaceView(links: Links, ws: WorkspaceRecord): Json {
	return {
		type: 'workspace',
		uuid: ws.uuid,
		name: ws.name,
		slug: ws.slug,
		is_private: ws.is_private,
		is_privacy_enforced: false,
		forking_mode: 'internal_only',
		created_on: ws.created_on,
		updated_on: ws.updated_on,
		links: {
			avatar: href(`https://bitbucket.org/workspaces/${ws.slug}/avatar/?ts=1767225600`),
			html: href(links.html(ws.slug) + '/'),
			members: href(links.api('workspaces', ws.slug, 'members')),
			owners: href(`${links.api('workspaces', ws.slug, 'members')}?q=permission%3D%22owner%22`),
			projects: href(links.api('workspaces', ws.slug, 'projects')),
			repositories: href(links.api('repositories', ws.slug)),
			snippets: href(links.api('snippets', ws.slug)),
			self: href(links.api('workspaces', ws.slug)),
		},
	};
}

export function projectView(links: Links, ws: WorkspaceRecord, project: ProjectRecord): Json {
	return {
		type: 'project',
		key: project.key,
		uuid: project.uuid,
		name: project.name,
		links: {
			self: href(links.api('workspaces', ws.slug, 'projects', project.key)),
			html: href(links.html(ws.slug, 'workspace', 'projects', project.key)),
			avatar: href(links.html('account', 'user', ws.slug, 'projects', project.key, 'avatar', '32')),
		},
	};
}

export function repositoryRefView(links: Links, repo: RepositoryRecord): Json {
	return links.memo(repo, 'ref', () => ({
		type: 'repository',
		full_name: repo.full_name,
		links: {
			self: href(links.repoApi(repo)),
			html: href(links.repoHtml(repo)),
			avatar: href(`https://bytebucket.org/ravatar/${encodeURIComponent(repo.uuid)}?ts=default`),
		},
		name: repo.name,
		uuid: repo.uuid,
	}));
}

export function repositoryView(links: Links, repo: RepositoryRecord): Json {
	const ws = repo.workspace;
	return {
		type: 'repository',
		full_name: repo.full_name,
		links: {
			self: href(links.repoApi(repo)),
			html: href(links.repoHtml(repo)),
			avatar: href(`https://bytebucket.org/ravatar/${encodeURIComponent(repo.uuid)}?ts=default`),
			pullrequests: href(links.repoApi(repo, 'pullrequests')),
			commits: href(links.repoApi(repo, 'commits')),
			forks: href(links.repoApi(repo, 'forks')),
			watchers: href(links.repoApi(repo, 'watchers')),
			branches: href(links.repoApi(repo, 'refs', 'branches')),
			tags: href(links.repoApi(repo, 'refs', 'tags')),
			downloads: href(links.repoApi(repo, 'downloads')),
			source: href(links.repoApi(repo, 'src')),
			clone: [
				{ name: 'https', href: `https://bitbucket.org/${repo.full_name}.git` },
				{ name: 'ssh', href: `git@bitbucket.org:${repo.full_name}.git` },
			],
			hooks: href(links.repoApi(repo, 'hooks')),
		},
		name: repo.name,
		slug: repo.slug,
		description: repo.description,
		scm: 'git',
		website: null,
		owner: {
			display_name: ws.name,
			links: {
				self: href(links.api('users', ws.uuid)),
				avatar: href(`https://bitbucket.org/account/${ws.slug}/avatar/`),
				html: href(links.html(ws.uuid) + '/'),
			},
			type: 'team',
			uuid: ws.uuid,
			username: ws.slug,
		},
		workspace: { type: 'workspace', uuid: ws.uuid, name: ws.name, slug: ws.slug, links: workspaceBaseView(links, ws)['links'] },
		is_private: repo.is_private,
		project: projectView(links, ws, repo.project),
		fork_policy: repo.fork_policy,
		created_on: repo.created_on,
		updated_on: repo.updated_on,
		size: repo.size,
		language: repo.language,
		uuid: repo.uuid,
		mainbranch: { name: repo.mainbranch.name, type: 'branch' },
		override_settings: { default_merge_strategy: true, branching_model: true },
		parent: null,
		enforced_signed_commits: null,
		has_issues: repo.has_issues,
		has_wiki: repo.has_wiki,
	};
}

export function authorView(links: Links, user: AccountRecord): Json {
	return { type: 'author', raw: `${user.display_name} <${user.email}>`, user: accountView(links, user) };
}

/** An author given as text (`Name <email>`) by the client that made the commit. */
export function rawAuthorView(raw: string): Json {
	return { type: 'author', raw };
}

/** The short form used inside pull requests, parents and pipeline targets. */
export function commitRefView(links: Links, repo: RepositoryRecord, hash: string, length = 40): Json {
	return {
		type: 'commit',
		hash: hash.slice(0, length),
		links: { self: href(links.repoApi(repo, 'commit', hash)), html: href(links.repoHtml(repo, 'commits', hash)) },
	};
}

export function commitView(links: Links, repo: RepositoryRecord, commit: CommitRecord): Json {
	return {
		type: 'commit',
		hash: commit.hash,
		date: commit.date,
		author: commit.rawAuthor ? rawAuthorView(commit.rawAuthor) : authorView(links, commit.author),
		message: `${commit.message}\n`,
		summary: rendered(`${commit.message}\n`),
		parents: commit.parents.map((p) => commitRefView(links, repo, p)),
		repository: repositoryRefView(links, repo),
		links: {
			self: href(links.repoApi(repo, 'commit', commit.hash)),
			html: href(links.repoHtml(repo, 'commits', commit.hash)),
			diff: href(links.repoApi(repo, 'diff', commit.hash)),
			patch: href(links.repoApi(repo, 'patch', commit.hash)),
			comments: href(links.repoApi(repo, 'commit', commit.hash, 'comments')),
			approve: href(links.repoApi(repo, 'commit', commit.hash, 'approve')),
			statuses: href(links.repoApi(repo, 'commit', commit.hash, 'statuses')),
		},
	};
}

export const DEFAULT_MERGE_STRATEGY: MergeStrategy = 'merge_commit';

export function branchView(links: Links, repo: RepositoryRecord, branch: BranchRecord): Json {
	return {
		name: branch.name,
		target: commitView(links, repo, branch.target),
		links: {
			self: href(links.repoApi(repo, 'refs', 'branches', branch.name)),
			commits: href(links.repoApi(repo, 'commits', branch.name)),
			html: href(links.repoHtml(repo, 'branch', branch.name)),
		},
		type: 'branch',
		merge_strategies: [...MERGE_STRATEGIES],
		default_merge_strategy: DEFAULT_MERGE_STRATEGY,
	};
}

export function tagView(links: Links, repo: RepositoryRecord, tag: TagRecord): Json {
	return {
		name: tag.name,
		target: commitView(links, repo, tag.target),
		message: `${tag.message}\n`,
		date: tag.date,
		tagger: authorView(links, tag.tagger),
		links: {
			self: href(links.repoApi(repo, 'refs', 'tags', tag.name)),
			commits: href(links.repoApi(repo, 'commits', tag.name)),
			html: href(links.repoHtml(repo, 'commits', 'tag', tag.name)),
		},
		type: 'tag',
	};
}

/** A commit's build status, as its own endpoint and the repo:commit_status_* webhook payloads show it. */
export function buildStatusView(links: Links, repo: RepositoryRecord, status: BuildStatusRecord): Json {
	return {
		type: 'build',
		key: status.key,
		state: status.state,
		name: status.name,
		description: status.description,
		url: status.url,
		refname: status.refname,
		created_on: status.created_on,
		updated_on: status.updated_on,
		commit: commitRefView(links, repo, status.commit),
		repository: repositoryRefView(links, repo),
		links: {
			self: href(links.repoApi(repo, 'commit', status.commit, 'statuses', 'build', status.key)),
			commit: href(links.repoApi(repo, 'commit', status.commit)),
		},
	};
}
