import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import { repoSlug } from '../../../shared/bitbucket/paths';
import { workspaceLocator } from '../../descriptions/locators';
import { readCollection, readString, readWorkspace } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Data Tools',
		description: 'Repository name; its slug (lower case, "-" for spaces) becomes part of the URL',
	},
	{
		displayName: 'Private',
		name: 'isPrivate',
		type: 'boolean',
		default: true,
		description: 'Whether only people with access can see the repository',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'Project Key',
				name: 'projectKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. PROJ',
				description: "Without it Bitbucket puts the repository in the workspace's oldest project",
			},
		],
	},
];

/** Bitbucket's slug for a name: lower case, runs of other characters become "-". */
export function slugify(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9_.-]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** The client's argument names that differ from this operation's fields. */
export const fields = { description: 'additionalFields.description', projectKey: 'additionalFields.projectKey' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const workspace = readWorkspace(this, i, defaults);
	const name = readString(this, 'name', i);
	if (!name) throw new BitbucketInputError('Name is empty', 'name');
	const slug = slugify(name);
	if (!slug) throw new BitbucketInputError(`Name "${name}" has no letters or digits to make a slug from`, 'name');
	const extra = readCollection(this, 'additionalFields', i);
	return await client.createRepo(
		{ workspace, repo: repoSlug(slug, 'name') },
		{
			name,
			isPrivate: this.getNodeParameter('isPrivate', i, true) as boolean,
			projectKey: (extra.projectKey as string | undefined)?.trim() || undefined,
			description: (extra.description as string | undefined) || undefined,
		},
	);
}
