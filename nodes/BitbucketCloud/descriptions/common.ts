/** Fields shared by many operations: Return All / Limit, Simplify. */
import type { INodeProperties } from 'n8n-workflow';

export function returnAllOrLimit(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

export function simplifyField(what: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a curated set of ${what} fields (Bitbucket sends only those) instead of the full objects`,
	};
}

/** Name Contains / Sort, for branch and tag lists. */
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
