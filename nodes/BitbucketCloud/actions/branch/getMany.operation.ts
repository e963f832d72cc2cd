import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo } from '../../helpers/params';
import { bbqlString } from '../repository/getMany.operation';
import type { OperationContext, OperationResult } from '../types';

export const refFilters = (what: string): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{ displayName: 'Name Contains', name: 'name', type: 'string', default: '', description: `Only ${what} whose name contains this text` },
		{
			displayName: 'Sort',
			name: 'sort',
			type: 'options',
			options: [
				{ name: 'Name', value: 'name' },
				{ name: 'Name (Descending)', value: '-name' },
				{ name: 'Last Commit (Newest First)', value: '-target.date' },
			],
			default: 'name',
		},
	],
});

export const description: INodeProperties[] = [...repoLocators, ...returnAllOrLimit(), refFilters('branches')];

export function refQuery(filters: Record<string, unknown>): { q?: string; sort?: string } {
	const name = typeof filters.name === 'string' ? filters.name.trim() : '';
	return { q: name ? `name ~ ${bbqlString(name)}` : undefined, sort: (filters.sort as string | undefined) || undefined };
}

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	return await client.listBranches(ref, { limit, ...refQuery(readCollection(this, 'filters', i)) });
}
