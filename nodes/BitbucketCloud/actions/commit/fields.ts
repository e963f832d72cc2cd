import type { INodeProperties } from 'n8n-workflow';

/** The curated commit fields that Simplify asks Bitbucket for. */
export const COMMIT_FIELDS = ['hash', 'date', 'message', 'author.raw', 'author.user.display_name', 'parents.hash', 'links.html.href'];

export const commitHashField: INodeProperties = {
	displayName: 'Commit Hash',
	name: 'commit',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. a1b2c3d4e5f6',
};
