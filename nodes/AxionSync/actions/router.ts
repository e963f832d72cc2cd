/**
 * Picks the operation, opens the store of the credential, runs the operation on all input items.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { openStore, toNodeError } from '../transport';
import { errorItem, OPERATIONS, type OperationExecute, type OperationName } from './common';
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
	const operation = this.getNodeParameter('operation', 0) as unknown;
	if (!isOperation(operation)) {
		throw new NodeOperationError(this.getNode(), `The operation ${JSON.stringify(operation)} is not supported`, { itemIndex: 0 });
	}
	const continueOnFail = this.continueOnFail();
	let opened: Awaited<ReturnType<typeof openStore>>;
	try {
		opened = await openStore.call(this);
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0, []);
		if (!continueOnFail) throw nodeError;
		return [items.map((_, i) => errorItem(nodeError, i))];
	}
	const output = await operations[operation].call(this, {
		store: opened.store,
		items,
		continueOnFail,
		secrets: opened.secrets,
	});
	return [output];
}
