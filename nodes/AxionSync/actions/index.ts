/**
 * Every Axion Sync operation, in the order of the Operation dropdown: the registry the node builds its dropdown
 * and each operation's displayOptions from, and the router picks the operation from.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import * as getExternalId from './getExternalId.operation';
import * as getLocalKey from './getLocalKey.operation';
import * as getMany from './getMany.operation';
import * as linkRecord from './linkRecord.operation';
import * as lookUpMany from './lookUpMany.operation';
import * as setStatus from './setStatus.operation';
import type { Operation } from './types';
import * as unlink from './unlink.operation';

export const operations: Array<INodePropertyOptions & { value: string; action: string; description: string; module: Operation }> = [
	{ name: 'Get External ID', value: 'getExternalId', action: 'Get the external ID of a local record', description: 'Find the link(s) of an Axion record', module: getExternalId },
	{ name: 'Get Local Key', value: 'getLocalKey', action: 'Get the local key of an external object', description: 'Find the Axion record(s) linked to an external object', module: getLocalKey },
	{ name: 'Get Many', value: 'getMany', action: 'Get many links', description: 'List links with filters', module: getMany },
	{ name: 'Link Record', value: 'linkRecord', action: 'Link a local record to an external object', description: 'Create or update a link (upsert)', module: linkRecord },
	{ name: 'Look Up Many', value: 'lookUpMany', action: 'Look up the links of many items', description: 'Add its link (or null) to every input item, in one query', module: lookUpMany },
	{ name: 'Set Status', value: 'setStatus', action: 'Set the status of links', description: 'Mark links synced, error or deleted', module: setStatus },
	{ name: 'Unlink', value: 'unlink', action: 'Delete links', description: 'Delete links and output what was deleted', module: unlink },
];

export const DEFAULT_OPERATION = 'linkRecord';

export function operationNamed(value: unknown): Operation | undefined {
	return operations.find((o) => o.value === value)?.module;
}
