import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. v1.4.0' },
	{ displayName: 'Commit Hash', name: 'commit', type: 'string', default: '', required: true, placeholder: 'e.g. a1b2c3d', description: 'The commit the tag points at' },
	{ displayName: 'Message', name: 'message', type: 'string', default: '', description: 'Optional message of an annotated tag' },
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.createTag(ref, readString(this, 'name', i), readString(this, 'commit', i), readString(this, 'message', i) || undefined);
}
