import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as getExternalId from './actions/getExternalId.operation';
import * as getLocalKey from './actions/getLocalKey.operation';
import * as getMany from './actions/getMany.operation';
import * as linkRecord from './actions/linkRecord.operation';
import * as lookUpMany from './actions/lookUpMany.operation';
import * as setStatus from './actions/setStatus.operation';
import * as unlink from './actions/unlink.operation';
import { axionDatabaseTest } from './credentialTest';

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Get External ID',
			value: 'get_external_id',
			action: 'Get the external ID of a local record',
			description: 'Find the link(s) of an Axion record',
		},
		{
			name: 'Get Local Key',
			value: 'get_local_key',
			action: 'Get the local key of an external object',
			description: 'Find the Axion record(s) linked to an external object',
		},
		{
			name: 'Get Many',
			value: 'get_many',
			action: 'Get many links',
			description: 'List links with filters',
		},
		{
			name: 'Link Record',
			value: 'link_record',
			action: 'Link a local record to an external object',
			description: 'Create or update a link (upsert)',
		},
		{
			name: 'Look Up Many',
			value: 'look_up_many',
			action: 'Look up the links of many items',
			description: 'Add its link (or null) to every input item, in one query',
		},
		{
			name: 'Set Status',
			value: 'set_status',
			action: 'Set the status of links',
			description: 'Mark links synced, error or deleted',
		},
		{
			name: 'Unlink',
			value: 'unlink',
			action: 'Delete links',
			description: 'Delete links',
		},
	],
	default: 'link_record',
};

export class AxionSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Axion Sync',
		name: 'axionSync',
		icon: { light: 'file:axionSync.svg', dark: 'file:axionSync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Remember which Axion record maps to which external object (def_integration_sync)',
		defaults: { name: 'Axion Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The credential name is fixed by the Axion design (a database, not an HTTP API).
		// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
		credentials: [{ name: 'axionDatabase', required: true, testedBy: 'axionDatabaseTest' }],
		properties: [
			operation,
			...linkRecord.description,
			...getExternalId.description,
			...getLocalKey.description,
			...lookUpMany.description,
			...setStatus.description,
			...getMany.description,
			...unlink.description,
		],
	};

	methods = {
		credentialTest: { axionDatabaseTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
