import type { INodeProperties } from 'n8n-workflow';

export const issueIdField: INodeProperties = {
	displayName: 'Issue ID',
	name: 'issueId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 12',
};

export const trackerNotice: INodeProperties = {
	displayName:
		'Bitbucket is retiring its issue tracker: many repositories have it turned off. Those answer "the issue tracker is not enabled for this repository".',
	name: 'trackerNotice',
	type: 'notice',
	default: '',
};

const kind: INodeProperties = {
	displayName: 'Kind',
	name: 'kind',
	type: 'options',
	options: [
		{ name: 'Bug', value: 'bug' },
		{ name: 'Enhancement', value: 'enhancement' },
		{ name: 'Proposal', value: 'proposal' },
		{ name: 'Task', value: 'task' },
	],
	default: 'bug',
};

const priority: INodeProperties = {
	displayName: 'Priority',
	name: 'priority',
	type: 'options',
	options: [
		{ name: 'Blocker', value: 'blocker' },
		{ name: 'Critical', value: 'critical' },
		{ name: 'Major', value: 'major' },
		{ name: 'Minor', value: 'minor' },
		{ name: 'Trivial', value: 'trivial' },
	],
	default: 'major',
};

export const issueFieldOptions: INodeProperties[] = [
	{ displayName: 'Assignee', name: 'assignee', type: 'string', default: '', placeholder: 'e.g. {account-uuid}', description: 'Account UUID (in braces) or Atlassian account ID' },
	{ displayName: 'Content', name: 'content', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'Markdown text of the issue' },
	kind,
	priority,
];
