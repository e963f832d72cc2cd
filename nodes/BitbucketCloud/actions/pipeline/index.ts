import type { Resource } from '../types';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getStepLog from './getStepLog.operation';
import * as getSteps from './getSteps.operation';
import * as stop from './stop.operation';
import * as trigger from './trigger.operation';

export const pipeline: Resource = {
	option: { name: 'Pipeline', value: 'pipeline' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Get', value: 'get', action: 'Get a pipeline', description: 'Get a pipeline by its UUID', module: get },
		{ name: 'Get Many', value: 'getMany', action: 'Get many pipelines', description: 'List pipelines, newest first', module: getMany },
		{ name: 'Get Step Log', value: 'getStepLog', action: 'Get the log of a pipeline step', description: 'Get the log of one pipeline step as text', module: getStepLog },
		{ name: 'Get Steps', value: 'getSteps', action: 'Get the steps of a pipeline', description: 'List the steps of a pipeline', module: getSteps },
		{ name: 'Stop', value: 'stop', action: 'Stop a pipeline', description: 'Stop a running pipeline', module: stop },
		{ name: 'Trigger', value: 'trigger', action: 'Trigger a pipeline', description: 'Run a pipeline on a branch, tag or commit, with variables', module: trigger },
	],
};
