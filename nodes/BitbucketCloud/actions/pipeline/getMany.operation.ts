import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PipelineFilters } from '../../../shared/bitbucket/client';
import { returnAllOrLimit, simplifyField } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readCollection, readLimit, readRepo, readSimplify } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { PIPELINE_FIELDS } from './fields';

const option = (name: string, value: string) => ({ name, value });

export const description: INodeProperties[] = [
	...repoLocators,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		// The pipelines list filters with its own parameters; Bitbucket ignores a BBQL query there.
		options: [
			{ displayName: 'Branch', name: 'branch', type: 'string', default: '', placeholder: 'e.g. main', description: 'Only pipelines that ran on this branch' },
			{ displayName: 'Commit Hash', name: 'commitHash', type: 'string', default: '', placeholder: 'e.g. a1b2c3d', description: 'Only pipelines of this commit' },
			{ displayName: 'Created On', name: 'createdOn', type: 'string', default: '', placeholder: 'e.g. 2026-11-30', description: "Bitbucket's creation-date filter" },
			{ displayName: 'Creator UUID', name: 'creatorUuid', type: 'string', default: '', placeholder: 'e.g. {account-uuid}' },
			{ displayName: 'Custom Pipeline Name', name: 'selectorPattern', type: 'string', default: '', placeholder: 'e.g. deploy-staging', description: 'Only runs of this custom pipeline (selector pattern)' },
			{ displayName: 'Ref Name', name: 'refName', type: 'string', default: '', placeholder: 'e.g. v1.4.0', description: 'A branch or tag name' },
			{
				displayName: 'Selector Type',
				name: 'selectorType',
				type: 'options',
				options: [option('Branch', 'BRANCH'), option('Custom', 'CUSTOM'), option('Default', 'DEFAULT'), option('Pull Requests', 'PULLREQUESTS'), option('Tag', 'TAG')],
				default: 'CUSTOM',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					option('Building', 'BUILDING'),
					option('Error', 'ERROR'),
					option('Failed', 'FAILED'),
					option('Halted', 'HALTED'),
					option('Passed', 'PASSED'),
					option('Paused', 'PAUSED'),
					option('Pending', 'PENDING'),
					option('Stopped', 'STOPPED'),
				],
				default: 'FAILED',
			},
			{
				displayName: 'Trigger Type',
				name: 'triggerType',
				type: 'options',
				options: [option('Manual', 'MANUAL'), option('Parent Step', 'PARENT_STEP'), option('Push', 'PUSH'), option('Scheduled', 'SCHEDULED')],
				default: 'PUSH',
			},
		],
	},
	simplifyField('pipeline'),
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	const filters = readCollection(this, 'filters', i) as PipelineFilters;
	return await client.listPipelines(ref, {
		limit,
		sort: '-created_on',
		filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '' && v !== undefined)) as PipelineFilters,
		fields: readSimplify(this, i) ? PIPELINE_FIELDS.map((f) => `values.${f}`).join(',') : undefined,
	});
}
