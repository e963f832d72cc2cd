import type { INodeProperties } from 'n8n-workflow';

export const reviewersField: INodeProperties = {
	displayName: 'Reviewers',
	name: 'reviewers',
	type: 'string',
	default: '',
	placeholder: 'e.g. {account-uuid}, 557058:1234…',
	description: 'Comma-separated account UUIDs (in braces) or Atlassian account IDs',
};

/** The curated pull request fields that Simplify asks Bitbucket for. */
export const PULL_REQUEST_FIELDS = [
	'id',
	'title',
	'description',
	'state',
	'draft',
	'author.display_name',
	'author.uuid',
	'source.branch.name',
	'source.commit.hash',
	'destination.branch.name',
	'merge_commit.hash',
	'close_source_branch',
	'comment_count',
	'task_count',
	'created_on',
	'updated_on',
	'links.html.href',
];

export const pullRequestFields = (simplify: boolean) => (simplify ? PULL_REQUEST_FIELDS.join(',') : undefined);

export const pullRequestListFields = (simplify: boolean) =>
	simplify ? PULL_REQUEST_FIELDS.map((f) => `values.${f}`).join(',') : undefined;
