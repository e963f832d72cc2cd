import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { refName } from '../../../shared/bitbucket/paths';
import { returnAllOrLimit, simplifyField } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo } from '../../helpers/params';
import { splitList } from '../../helpers/lists';
import type { OperationContext, OperationResult } from '../types';
import { COMMIT_FIELDS } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Branch or Revision', name: 'revision', type: 'string', default: '', placeholder: 'e.g. develop', description: 'Only commits reachable from this branch, tag or hash (default: all branches)' },
			{ displayName: 'Exclude', name: 'exclude', type: 'string', default: '', placeholder: 'e.g. main', description: 'Comma-separated refs whose commits are left out' },
			{ displayName: 'Include', name: 'include', type: 'string', default: '', placeholder: 'e.g. feature/login', description: 'Comma-separated refs whose commits are listed' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '', placeholder: 'e.g. src/export.ts', description: 'Only commits that touch this file or folder' },
		],
	},
	simplifyField('commit'),
];

/** The client's argument names that differ from this operation's fields. */
export const fields = { revision: 'filters.revision' };

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	const filters = readCollection(this, 'filters', i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	const refs = (key: string) => splitList(filters[key])?.map((r) => refName(r, key, key === 'include' ? 'Include' : 'Exclude'));
	return await client.listCommits(ref, {
		limit,
		revision: (filters.revision as string | undefined)?.trim() || undefined,
		include: refs('include'),
		exclude: refs('exclude'),
		path: (filters.path as string | undefined)?.trim() || undefined,
		fields: simplify ? COMMIT_FIELDS.map((f) => `values.${f}`).join(',') : undefined,
	});
}
