import {
	NodeConnectionTypes,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DEFAULT_OPERATION, operations } from './actions';
import { router } from './actions/router';
import { axionDatabaseTest } from './credentialTest';

function properties(): INodeProperties[] {
	const list: INodeProperties[] = [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: operations.map((o) => ({ name: o.name, value: o.value, action: o.action, description: o.description })),
			default: DEFAULT_OPERATION,
		},
	];
	for (const operation of operations) {
		list.push(...updateDisplayOptions({ show: { operation: [operation.value] } }, operation.module.description));
	}
	return list;
}

export class AxionSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Axion Sync',
		name: 'axionSync',
		icon: { light: 'file:axionSync.svg', dark: 'file:axionSync.dark.svg' },
		group: ['transform'],
		version: 1,
		// The canvas shows "Link Record", not the stored value "linkRecord".
		subtitle: `={{ ${JSON.stringify(Object.fromEntries(operations.map((o) => [o.value, o.name])))}[$parameter["operation"]] }}`,
		description: 'Remember which Axion record maps to which external object (def_integration_sync)',
		defaults: { name: 'Axion Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The credential name is fixed by the Axion design (a database, not an HTTP API).
		// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
		credentials: [{ name: 'axionDatabase', required: true, testedBy: 'axionDatabaseTest' }],
		properties: properties(),
	};

	methods = {
		credentialTest: { axionDatabaseTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
