import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import type { Query } from '../../../shared/bitbucket/request';
import type { HttpMethod } from '../../../shared/bitbucket/transport';
import { returnAllOrLimit } from '../../descriptions/common';
import { readJson, readLimit, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })),
		default: 'GET',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /repositories/my-team/my-repo/refs/branches',
		description: "Relative to the credential's base URL (https://api.bitbucket.org/2.0). Encode special characters in path segments.",
	},
	{
		displayName: 'Query Parameters (JSON)',
		name: 'query',
		type: 'json',
		default: '{}',
		description: 'Object of query parameters; arrays repeat the parameter (e.g. {"state": ["OPEN", "MERGED"]})',
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '',
		displayOptions: { show: { method: ['POST', 'PUT', 'PATCH'] } },
		description: 'Leave empty to send no body (approve-style endpoints need no body)',
	},
	{
		displayName: 'Paginate',
		name: 'paginate',
		type: 'boolean',
		default: false,
		description: 'Whether to follow "next" links and output every item of "values"',
		displayOptions: { show: { method: ['GET'] } },
	},
	...returnAllOrLimit().map((p) => ({
		...p,
		displayOptions: { show: { ...(p.displayOptions?.show ?? {}), method: ['GET'], paginate: [true] } },
	})),
];

export async function execute(this: IExecuteFunctions, i: number, { client }: OperationContext): Promise<OperationResult> {
	const method = this.getNodeParameter('method', i, 'GET') as HttpMethod;
	const path = readString(this, 'path', i);
	const query = readJson(this, 'query', i, 'Query Parameters (JSON)');
	if (query !== undefined && (typeof query !== 'object' || query === null || Array.isArray(query))) {
		throw new BitbucketInputError('Query Parameters (JSON) must be an object', 'query');
	}
	const body = method === 'GET' || method === 'DELETE' ? undefined : readJson(this, 'body', i, 'Body (JSON)');
	const paginate = method === 'GET' && (this.getNodeParameter('paginate', i, false) as boolean);
	const result = await client.call(method, path, {
		query: query as Query | undefined,
		body,
		paginate,
		limit: paginate ? readLimit(this, i) : undefined,
	});
	if (Array.isArray(result)) return result.map((v) => (v && typeof v === 'object' ? (v as IDataObject) : { value: v as string }));
	if (result === undefined || result === null || result === '') return { success: true };
	return typeof result === 'object' ? (result as IDataObject) : { body: String(result) };
}

/** A GET only reads: its items run 4 at a time by default; any other method 1 at a time. */
export function reads(this: IExecuteFunctions, i: number): boolean {
	return this.getNodeParameter('method', i, 'GET') === 'GET';
}
