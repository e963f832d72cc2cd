import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { workspaceLocator } from '../../descriptions/locators';
import { readCollection, readLimit, readWorkspace } from '../../helpers/params';
import { contains } from '../../helpers/bbql';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	workspaceLocator,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Name Contains', name: 'name', type: 'string', default: '', description: 'Only repositories whose name contains this text' },
			{
				displayName: 'Role',
				name: 'role',
				type: 'options',
				options: [
					{ name: 'Admin', value: 'admin' },
					{ name: 'Contributor', value: 'contributor' },
					{ name: 'Member', value: 'member' },
					{ name: 'Owner', value: 'owner' },
				],
				default: 'member',
				description: 'Only repositories on which you have at least this role',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Name', value: 'name' },
					{ name: 'Updated (Newest First)', value: '-updated_on' },
					{ name: 'Created (Newest First)', value: '-created_on' },
				],
				default: 'name',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const workspace = readWorkspace(this, i, defaults);
	const limit = readLimit(this, i);
	const filters = readCollection(this, 'filters', i);
	return await client.listRepositories(workspace, {
		limit,
		q: contains('name', filters.name),
		role: (filters.role as 'member' | undefined) || undefined,
		sort: (filters.sort as string | undefined) || undefined,
	});
}
