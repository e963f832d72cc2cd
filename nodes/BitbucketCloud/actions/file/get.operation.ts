import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import { fileName } from '../../../shared/bitbucket/resources/files';
import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import { OutputItems, type OperationContext, type OperationResult } from '../types';
import { atField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'File Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. config/app.json',
		description: "Path of the file from the repository's root",
	},
	atField,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text', description: 'The content as text (UTF-8) in the field "content"' },
			{ name: 'Binary Data', value: 'binary', description: 'The file as n8n binary data, with its name and type: any file, any size' },
		],
		default: 'text',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { output: ['binary'] } },
		description: 'Name of the binary property that receives the file',
	},
];

export const fields = { at: 'at', path: 'path' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const path = readString(this, 'path', i);
	const at = readString(this, 'at', i) || undefined;
	if (this.getNodeParameter('output', i, 'text') === 'text') {
		const file = await client.files.get(ref, path, { at, as: 'text' });
		return { path: file.path, commit: file.commit, size: file.size, mimeType: file.mimeType, content: file.content };
	}
	const property = readString(this, 'binaryProperty', i, 'data');
	if (!property) throw new BitbucketInputError('Put Output File in Field is empty', 'binaryProperty');
	// Bytes go from Bitbucket into n8n's binary data store as they arrive: never held whole here.
	const file = await client.files.stream(ref, path, { at });
	// n8n's transport hands the body over as Node's readable stream, which is what prepareBinaryData takes.
	const stream = file.content as unknown as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
	const binary = await this.helpers.prepareBinaryData(stream, fileName(file.path), file.mimeType);
	return new OutputItems([{ json: { path: file.path, commit: file.commit, size: file.size, mimeType: file.mimeType }, binary: { [property]: binary } }]);
}
