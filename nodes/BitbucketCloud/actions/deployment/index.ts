import type { Resource } from '../types';
import * as getEnvironments from './getEnvironments.operation';
import * as getMany from './getMany.operation';

export const deployment: Resource = {
	option: { name: 'Deployment', value: 'deployment' },
	defaultOperation: 'getMany',
	operations: [
		{ name: 'Get Many', value: 'getMany', action: 'Get many deployments', description: 'List the deployments of a repository', module: getMany },
		{ name: 'Get Many Environments', value: 'getEnvironments', action: 'Get many deployment environments', description: 'List the deployment environments of a repository', module: getEnvironments },
	],
};
