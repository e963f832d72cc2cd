import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BuildState } from '../../../shared/bitbucket/types';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { commitHashField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	commitHashField,
	{
		displayName: 'State',
		name: 'state',
		type: 'options',
		options: [
			{ name: 'Failed', value: 'FAILED' },
			{ name: 'In Progress', value: 'INPROGRESS' },
			{ name: 'Stopped', value: 'STOPPED' },
			{ name: 'Successful', value: 'SUCCESSFUL' },
		],
		default: 'INPROGRESS',
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: 'n8n',
		required: true,
		description: 'Identifies the build: posting the same key again updates its status',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://ci.example.com/builds/42',
		description: 'Where the build can be seen',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		],
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { hash: 'commit', name: 'additionalFields.name', description: 'additionalFields.description' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const extra = readCollection(this, 'additionalFields', i);
	return await client.createBuildStatus(ref, readString(this, 'commit', i), {
		key: readString(this, 'key', i),
		state: this.getNodeParameter('state', i) as BuildState,
		url: readString(this, 'url', i),
		name: (extra.name as string | undefined) || undefined,
		description: (extra.description as string | undefined) || undefined,
	});
}
