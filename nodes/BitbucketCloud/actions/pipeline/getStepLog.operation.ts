import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pipelineUuidField } from './fields';

export const description: INodeProperties[] = [
	...repoLocators,
	pipelineUuidField,
	{
		displayName: 'Step UUID',
		name: 'stepUuid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {9b0f3c4d-…}',
		description: 'The UUID of the step (the `uuid` field of Get Steps)',
	},
];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const pipelineUuid = readString(this, 'pipelineUuid', i);
	const stepUuid = readString(this, 'stepUuid', i);
	const log = await client.getPipelineStepLog(ref, pipelineUuid, stepUuid);
	return { pipelineUuid, stepUuid, log };
}
