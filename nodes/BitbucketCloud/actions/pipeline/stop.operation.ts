import type { IExecuteFunctions } from 'n8n-workflow';

import { repoLocators } from '../../descriptions/locators';
import { readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pipelineUuidField } from './fields';

export const description = [...repoLocators, pipelineUuidField];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const uuid = readString(this, 'pipelineUuid', i);
	await client.stopPipeline(ref, uuid);
	return { success: true, stopped: uuid };
}
