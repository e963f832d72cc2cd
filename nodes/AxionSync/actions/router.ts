/**
 * Picks the operation, opens the store of the credential, runs the operation on all input items.
 * Item-level problems are handled by the operations (an error item each with Continue On Fail). Anything that
 * fails for the whole execution (a bad database configuration, a bad node option, the batch itself) becomes an
 * error item for every input item with Continue On Fail, never a silent pass-through of the input.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItems } from '../../common/errors';
import { openStore, toNodeError } from '../transport';
import { OPERATIONS, type OperationExecute, type OperationName } from './common';
import * as getExternalId from './getExternalId.operation';
import * as getLocalKey from './getLocalKey.operation';
import * as getMany from './getMany.operation';
import * as linkRecord from './linkRecord.operation';
import * as lookUpMany from './lookUpMany.operation';
import * as setStatus from './setStatus.operation';
import * as unlink from './unlink.operation';

const operations: Record<OperationName, OperationExecute> = {
	link_record: linkRecord.execute,
	get_external_id: getExternalId.execute,
	get_local_key: getLocalKey.execute,
	look_up_many: lookUpMany.execute,
	set_status: setStatus.execute,
	get_many: getMany.execute,
	unlink: unlink.execute,
};

function isOperation(value: unknown): value is OperationName {
	return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	let secrets: string[] = [];
	try {
		const operation = this.getNodeParameter('operation', 0) as unknown;
		if (!isOperation(operation)) throw new Error(`The operation ${JSON.stringify(operation)} is not supported`);
		const opened = await openStore.call(this);
		secrets = opened.secrets;
		return [await operations[operation].call(this, { store: opened.store, items, continueOnFail, secrets })];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0, secrets);
		if (!continueOnFail) throw nodeError;
		return [errorItems(nodeError, items.length)];
	}
}
