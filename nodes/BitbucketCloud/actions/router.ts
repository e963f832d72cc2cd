/**
 * The thin router: one client per execution, then each input item runs the chosen operation.
 * Every output item is paired with its input item; with Continue On Fail a failing item becomes an error item.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { RetryOptions } from '../../shared/bitbucket/retry';
import { errorItemJson, toNodeError } from '../helpers/errors';
import { connect } from '../transport';
import { resources } from './resources';

function retryOptions(settings: IDataObject): Partial<RetryOptions> {
	const number = (key: string) => (typeof settings[key] === 'number' ? (settings[key] as number) : undefined);
	const seconds = number('rateLimitWaitSeconds');
	const totalMinutes = number('maxTotalWaitMinutes');
	return {
		maxRetries: number('maxRetries'),
		rateLimitDelayMs: seconds === undefined ? undefined : seconds * 1000,
		maxTotalWaitMs: totalMinutes === undefined ? undefined : totalMinutes * 60_000,
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resourceName]?.operations.find((o) => o.value === operationName)?.module;
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resourceName}" is not supported`);
	}

	let connected;
	try {
		const settings = this.getNodeParameter('rateLimiting', 0, {}) as IDataObject;
		connected = await connect(this, { retry: retryOptions(settings) });
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.execute.call(this, itemIndex, connected);
			const rows = result === undefined ? [{ success: true }] : Array.isArray(result) ? result : [result];
			for (const json of rows) output.push({ json: json as IDataObject, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push({ json: errorItemJson(error, nodeError), pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}
