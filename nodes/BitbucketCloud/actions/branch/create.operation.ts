import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { branchLocator, repoLocators } from '../../descriptions/locators';
import { readBranch, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. feature/login',
		description: 'Name of the new branch',
	},
	{
		displayName: 'Start From',
		name: 'from',
		type: 'options',
		options: [
			{ name: 'Branch', value: 'branch', description: 'The current head of another branch' },
			{ name: 'Commit', value: 'commit', description: 'A commit hash' },
		],
		default: 'branch',
	},
	{ ...branchLocator('fromBranch', 'From Branch'), displayOptions: { show: { from: ['branch'] } } },
	{
		displayName: 'Commit Hash',
		name: 'commit',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a1b2c3d',
		displayOptions: { show: { from: ['commit'] } },
	},
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { 'from.commit': 'commit', 'from.branch': 'fromBranch' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const name = readString(this, 'name', i);
	const from =
		this.getNodeParameter('from', i, 'branch') === 'commit'
			? { commit: readString(this, 'commit', i) }
			: { branch: readBranch(this, i, 'fromBranch', 'From branch') };
	return await client.createBranch(ref, name, from);
}
