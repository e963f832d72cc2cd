import type { IExecuteFunctions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readLimit, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { pipelineUuidField } from './fields';

export const description = [...repoLocators, pipelineUuidField, ...returnAllOrLimit()];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	return await client.listPipelineSteps(ref, readString(this, 'pipelineUuid', i), { limit: readLimit(this, i) });
}
