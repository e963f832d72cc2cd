import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readLimit, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { atField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Directory',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'e.g. docs',
		hint: "Empty: the repository's root",
	},
	atField,
	{
		displayName: 'Depth',
		name: 'maxDepth',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 1,
		description: 'How many levels of subdirectories to list: 1 lists the directory itself, 2 also what its subdirectories hold, …',
	},
	...returnAllOrLimit(),
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const entries = await client.files.list(ref, readString(this, 'path', i), {
		at: readString(this, 'at', i) || undefined,
		maxDepth: this.getNodeParameter('maxDepth', i, 1) as number,
		limit: readLimit(this, i),
	});
	return entries.map((e) => ({
		path: e.path,
		type: e.type === 'commit_directory' ? 'directory' : 'file',
		size: e.size ?? null,
		mimeType: e.mimetype ?? null,
		attributes: e.attributes ?? [],
		commit: e.commit?.hash ?? null,
	}));
}

/** Listing only reads: its items run 4 at a time by default. */
export function reads(): boolean {
	return true;
}
