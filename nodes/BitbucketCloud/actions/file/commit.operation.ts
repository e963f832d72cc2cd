import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import { filePath } from '../../../shared/bitbucket/paths';
import type { FileToCommit } from '../../../shared/bitbucket/resources/files';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Branch',
		name: 'branch',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. chore/changelog',
		hint: 'Created when it does not exist: from New Branch From, or else the main branch',
	},
	{
		displayName: 'Commit Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Update the changelog for 2.4.0',
	},
	{
		displayName: 'Files',
		name: 'files',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add File',
		default: {},
		description: 'Files to add or replace, each from text or from a binary property of the input item',
		options: [
			{
				displayName: 'File',
				name: 'file',
				values: [
					{
						displayName: 'Path',
						name: 'path',
						type: 'string',
						default: '',
						placeholder: 'e.g. docs/CHANGELOG.md',
						description: "Path from the repository's root",
					},
					{
						displayName: 'Content From',
						name: 'source',
						type: 'options',
						options: [
							{ name: 'Text', value: 'text' },
							{ name: 'Binary Property', value: 'binary' },
						],
						default: 'text',
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 4 },
						default: '',
						displayOptions: { show: { source: ['text'] } },
					},
					{
						displayName: 'Binary Property',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						displayOptions: { show: { source: ['binary'] } },
						description: 'Name of the input item\'s binary property that holds the file',
					},
				],
			},
		],
	},
	{
		displayName: 'Files to Delete',
		name: 'deletePaths',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Path' },
		default: [],
		placeholder: 'e.g. docs/old-guide.md',
	},
	{
		displayName: 'Options',
		name: 'commitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Author',
				name: 'author',
				type: 'string',
				default: '',
				placeholder: 'e.g. Release Bot <release@example.com>',
				description: "Empty: the credential's user",
			},
			{
				displayName: 'New Branch From',
				name: 'fromBranch',
				type: 'string',
				default: '',
				placeholder: 'e.g. develop',
				description: 'When the branch does not exist yet, start it from this branch\'s head (otherwise from the main branch)',
			},
			{
				displayName: 'Parent Commit',
				name: 'parent',
				type: 'string',
				default: '',
				placeholder: 'e.g. a1b2c3d4e5f6…',
				description:
					'The commit the branch must still be at: if someone pushed meanwhile, Bitbucket refuses and the node says the branch moved. For a new branch, the commit it starts from.',
			},
		],
	},
];

export const fields = { author: 'commitOptions.author', parent: 'commitOptions.parent', fromBranch: 'commitOptions.fromBranch' };

/** The files of one item, read and checked (paths, binary properties) before anything is sent. */
async function filesOf(context: IExecuteFunctions, i: number): Promise<FileToCommit[]> {
	const rows = (context.getNodeParameter('files.file', i, []) as IDataObject[]) ?? [];
	const item = context.getInputData()[i];
	const files: FileToCommit[] = [];
	for (const [n, row] of rows.entries()) {
		const label = rows.length > 1 ? `Files → Path (file ${n + 1})` : 'Files → Path';
		const path = filePath(row.path, 'files.path', label);
		if (row.source === 'binary') {
			const property = String(row.binaryProperty ?? '').trim();
			const available = Object.keys(item?.binary ?? {});
			if (!property || !item?.binary?.[property]) {
				throw new BitbucketInputError(
					`Files → Binary Property "${property}" (for ${path}) is not on input item ${i}: ${available.length ? `it has ${available.map((a) => `"${a}"`).join(', ')}` : 'it has no binary data'}`,
					'files.binaryProperty',
				);
			}
			const data = await context.helpers.getBinaryDataBuffer(i, property);
			files.push({ path, content: data, contentType: item.binary[property].mimeType });
		} else {
			files.push({ path, content: typeof row.content === 'string' ? row.content : String(row.content ?? '') });
		}
	}
	return files;
}

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const files = await filesOf(this, i);
	const raw = this.getNodeParameter('deletePaths', i, []) as unknown;
	const deletions = (Array.isArray(raw) ? raw : [raw]).map((p) => String(p ?? '').trim()).filter((p) => p !== '');
	const toDelete = deletions.map((p) => filePath(p, 'deletePaths', 'Files to Delete'));
	const options = readCollection(this, 'commitOptions', i);
	const branch = readString(this, 'branch', i);
	const commit = await client.files.commit(ref, {
		branch,
		message: readString(this, 'message', i),
		author: typeof options.author === 'string' && options.author.trim() ? options.author.trim() : undefined,
		parent: typeof options.parent === 'string' && options.parent.trim() ? options.parent.trim() : undefined,
		fromBranch: typeof options.fromBranch === 'string' && options.fromBranch.trim() ? options.fromBranch.trim() : undefined,
		files,
		delete: toDelete,
	});
	return {
		hash: commit.hash,
		branch,
		message: typeof commit.message === 'string' ? commit.message.trim() : commit.message,
		date: commit.date,
		author: (commit.author as IDataObject | undefined)?.raw ?? null,
		parents: ((commit.parents as IDataObject[] | undefined) ?? []).map((p) => p.hash),
		written: files.map((f) => f.path),
		deleted: toDelete,
		url: ((commit.links as IDataObject | undefined)?.html as IDataObject | undefined)?.href ?? null,
	};
}
