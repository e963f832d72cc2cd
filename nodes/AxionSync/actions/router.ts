/**
 * Picks the operation, opens the store of the credential, runs the operation on all input items.
 * Item-level problems are handled by the operations (an error item each with Continue On Fail). Anything that
 * fails for the whole execution (a bad database configuration, a bad node option, the batch itself) becomes an
 * error item for every input item with Continue On Fail, never a silent pass-through of the input.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItems } from '../../common/errors';
import { openStore, toNodeError } from '../transport';
import { operationNamed } from './index';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	let secrets: string[] = [];
	try {
		const name = this.getNodeParameter('operation', 0) as unknown;
		const operation = operationNamed(name);
		if (!operation) throw new Error(`The operation ${JSON.stringify(name)} is not supported`);
		const opened = await openStore.call(this);
		secrets = opened.secrets;
		return [await operation.execute.call(this, { store: opened.store, items, continueOnFail, secrets })];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0, secrets);
		if (!continueOnFail) throw nodeError;
		return [errorItems(nodeError, items.length)];
	}
}
