import type { Resource } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const pipelineVariable: Resource = {
	option: { name: 'Pipeline Variable', value: 'pipelineVariable' },
	defaultOperation: 'upsert',
	operations: [
		{ name: 'Create', value: 'create', action: 'Create a pipeline variable', description: 'Create a variable (fails when its key exists)', module: create },
		{ name: 'Create or Update', value: 'upsert', action: 'Create or update a pipeline variable', description: 'Create a new record, or update the current one if it already exists (upsert)', module: upsert },
		{ name: 'Delete', value: 'delete', action: 'Delete a pipeline variable', description: 'Delete a variable by its UUID', module: del },
		{ name: 'Get', value: 'get', action: 'Get a pipeline variable', description: 'Get a variable by its UUID (a secured one without its value)', module: get },
		{ name: 'Get Many', value: 'getMany', action: 'Get many pipeline variables', description: 'List the variables of the repository or of an environment', module: getMany },
		{ name: 'Update', value: 'update', action: 'Update a pipeline variable', description: 'Change a variable\'s key, value or secured flag, by its UUID', module: update },
	],
};
