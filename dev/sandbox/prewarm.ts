/**
 * Renders the big collections (pull requests, commits, branches) once at start-up, so even the first walk through thousands
 * of records costs the server well under a millisecond per page.
 */
import { memoView, viewJson } from './cache';
import type { Links } from './links';
import type { SandboxState } from './model';
import { PR_COLLECTION_HIDDEN, pullRequestView } from './routes/pullrequest-views';
import { BRANCH_VIEW, COMMIT_VIEW, PULL_REQUEST_VIEW } from './view-keys';
import { branchView, commitView } from './views';

/** The same omissions the fast envelope writer uses for PR collections, so the cached text is reused. */
const LIST_OMITS = PR_COLLECTION_HIDDEN.map((path) => path.replace(/^values\./, ''));

export function prewarm(state: SandboxState, links: Links): void {
	for (const repo of state.repositories) {
		for (const pr of repo.pullRequests) viewJson(memoView(state, pr, PULL_REQUEST_VIEW, () => pullRequestView(links, repo, pr)), LIST_OMITS);
		for (const commit of repo.commits) viewJson(memoView(state, commit, COMMIT_VIEW, () => commitView(links, repo, commit)), []);
		for (const branch of repo.branches) viewJson(memoView(state, branch, BRANCH_VIEW, () => branchView(links, repo, branch)), []);
	}
}
