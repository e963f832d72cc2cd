import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit, simplifyField } from '../../descriptions/common';
import { repoLocators } from '../../descriptions/locators';
import { readLimit, readRepo } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';
import { PIPELINE_FIELDS } from './fields';

export const description: INodeProperties[] = [...repoLocators, ...returnAllOrLimit(), simplifyField('pipeline')];

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const limit = readLimit(this, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return await client.listPipelines(ref, {
		limit,
		sort: '-created_on',
		fields: simplify ? PIPELINE_FIELDS.map((f) => `values.${f}`).join(',') : undefined,
	});
}
