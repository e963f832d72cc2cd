import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	{ displayName: 'Name', name: 'tag', type: 'string', default: '', required: true, placeholder: 'e.g. v1.4.0' },
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { name: 'tag' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const tag = readString(this, 'tag', i);
	await client.deleteTag(ref, tag);
	return { success: true, deleted: tag };
}
