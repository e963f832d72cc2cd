/** Fields the Pipeline Variable operations share: where the variables live, and a variable's parts. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import type { VariableScope } from '../../../shared/bitbucket/resources/variables';
import { repoLocators } from '../../descriptions/locators';
import { locatorOf } from '../../helpers/locators';

export const scopeFields: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Variables Of',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'Repository', value: 'repository', description: "The repository's pipeline variables" },
			{ name: 'Deployment Environment', value: 'environment', description: 'The variables of one deployment environment (Test, Staging, Production, …)' },
		],
		default: 'repository',
	},
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show: { scope: ['environment'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an environment…',
				typeOptions: { searchListMethod: 'searchEnvironments', searchable: true },
			},
			{
				displayName: 'By UUID',
				name: 'uuid',
				type: 'string',
				placeholder: 'e.g. {c4c499f9-b89b-4c83-8c85-8990b20a8b8e}',
			},
		],
	},
];

export const variableUuidField: INodeProperties = {
	displayName: 'Variable UUID',
	name: 'variableUuid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {6e69cea6-6db6-409e-8446-bff922a0963b}',
	description: 'The variable\'s UUID, as Get Many returns it. To set a variable by its key, use Create or Update.',
};

export const keyField: INodeProperties = {
	displayName: 'Key',
	name: 'key',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. DEPLOY_TOKEN',
	description: 'Letters, digits and underscores, not starting with a digit',
};

export const valueField: INodeProperties = {
	displayName: 'Value',
	name: 'value',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description: 'A secured value is never shown again: not by Bitbucket, not in this node\'s output',
};

export const securedField: INodeProperties = {
	displayName: 'Secured',
	name: 'secured',
	type: 'boolean',
	default: true,
	description: 'Whether Bitbucket keeps the value secret (write-only, masked in pipeline logs)',
};

/** Where the item's variables live: the repository, or the chosen deployment environment. */
export function readScope(context: IExecuteFunctions, i: number): VariableScope {
	if (context.getNodeParameter('scope', i, 'repository') !== 'environment') return {};
	const environment = String(locatorOf(context.getNodeParameter('environment', i, '')).value ?? '').trim();
	if (!environment) throw new BitbucketInputError('Environment is empty: choose one, or enter its UUID', 'environment');
	return { environment };
}

/** The client calls the environment's UUID `environment`, the variable's `variable`. */
export const fields = { environment: 'environment', variable: 'variableUuid', updateFields: 'updateFields' };
