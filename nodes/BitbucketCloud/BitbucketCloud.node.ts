import {
	NodeConnectionTypes,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { resources } from './actions/resources';
import { authenticationProperty, bitbucketCredentials } from './descriptions/authentication';
import { listSearch } from './methods';

function resourceProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: Object.values(resources).map((r) => r.option),
			default: 'pullRequest',
		},
	];
	for (const [name, resource] of Object.entries(resources)) {
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is each resource's own operation
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [name] } },
			options: resource.operations.map((o) => ({ name: o.name, value: o.value, action: o.action, description: o.description })),
			default: resource.defaultOperation,
		});
	}
	for (const [name, resource] of Object.entries(resources)) {
		for (const operation of resource.operations) {
			properties.push(
				...updateDisplayOptions({ show: { resource: [name], operation: [operation.value] } }, operation.module.description),
			);
		}
	}
	return properties;
}

function subtitle(): string {
	const names: Record<string, string> = {};
	for (const [name, resource] of Object.entries(resources)) {
		for (const operation of resource.operations) names[`${name}.${operation.value}`] = `${operation.name}: ${resource.option.name}`;
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + "." + $parameter["operation"]] }}`;
}

export const rateLimiting: INodeProperties = {
	displayName: 'Rate Limiting',
	name: 'rateLimiting',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'How to react when Bitbucket answers 429 (rate limit) or a temporary server error',
	options: [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description: 'How many times a rate-limited or failed request is retried before the item fails',
		},
		{
			displayName: 'Wait Without Retry-After (Seconds)',
			name: 'rateLimitWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'First wait after a 429 that does not say how long to wait; doubles on each retry, with jitter. Bitbucket counts limits per hour, so short waits rarely help.',
		},
		{
			displayName: 'Max Total Wait (Minutes)',
			name: 'maxTotalWaitMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10,
			description: 'The longest one request may spend waiting for retries',
		},
	],
};

export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Parallel Requests',
			name: 'parallelRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 16 },
			default: 4,
			description:
				'How many requests to Bitbucket may run at once: input items side by side, and the pages of a long list. The output keeps the order of the input.',
			hint: 'Not set: 4 for operations that read, 1 for operations that change data. On a rate limit every request waits together; when Bitbucket says the limit is near, half as many run.',
		},
	],
};

export class BitbucketCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitbucket Cloud',
		name: 'bitbucketCloud',
		icon: { light: 'file:bitbucketCloud.svg', dark: 'file:bitbucketCloud.dark.svg' },
		group: ['transform'],
		version: 1,
		// The canvas shows "Merge: Pull Request", not the stored values "merge: pullRequest".
		subtitle: subtitle(),
		description: 'Work with Bitbucket Cloud repositories, pull requests, pipelines and more',
		defaults: { name: 'Bitbucket Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitbucketCredentials,
		properties: [
			authenticationProperty(),
			...resourceProperties(),
			requestOptions,
			rateLimiting,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
