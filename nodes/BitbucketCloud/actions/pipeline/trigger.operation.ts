import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BitbucketInputError } from '../../../shared/bitbucket/errors';
import type { PipelineTarget, PipelineVariable } from '../../../shared/bitbucket/types';
import { branchLocator, repoLocators } from '../../descriptions/locators';
import { readBranch, readJson, readRepo, readString } from '../../helpers/params';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [
	...repoLocators,
	{
		displayName: 'Run On',
		name: 'targetType',
		type: 'options',
		options: [
			{ name: 'Branch', value: 'branch' },
			{ name: 'Commit', value: 'commit' },
			{ name: 'Tag', value: 'tag' },
		],
		default: 'branch',
	},
	{ ...branchLocator('branch', 'Branch'), displayOptions: { show: { targetType: ['branch'] } } },
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. v1.4.0',
		displayOptions: { show: { targetType: ['tag'] } },
	},
	{
		displayName: 'Commit Hash',
		name: 'commit',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a1b2c3d',
		displayOptions: { show: { targetType: ['commit'] } },
	},
	{
		displayName: 'Custom Pipeline',
		name: 'pattern',
		type: 'string',
		default: '',
		placeholder: 'e.g. deploy-staging',
		description: 'Name of a custom pipeline in bitbucket-pipelines.yml. Leave empty for the default pipeline of the target.',
	},
	{
		displayName: 'Variables Input',
		name: 'variablesInput',
		type: 'options',
		options: [
			{ name: 'Fields', value: 'fields' },
			{ name: 'JSON', value: 'json' },
		],
		default: 'fields',
	},
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		displayOptions: { show: { variablesInput: ['fields'] } },
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. DEPLOY_ENV' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					{
						displayName: 'Secured',
						name: 'secured',
						type: 'boolean',
						default: false,
						description: 'Whether Bitbucket hides the value in logs and never returns it',
					},
				],
			},
		],
	},
	{
		displayName: 'Variables (JSON)',
		name: 'variablesJson',
		type: 'json',
		default: '[]',
		description: 'An array of {"key", "value", "secured"} objects, or an object of key → value',
		displayOptions: { show: { variablesInput: ['json'] } },
	},
];

/**
 * Variables (JSON) as the client takes them: an array of {key, value, secured} objects, or an object of
 * key → value. The values are passed on as given, so the client rejects an object value by name.
 */
function variablesFromJson(value: unknown): unknown[] {
	if (value === undefined) return [];
	if (Array.isArray(value)) return value;
	if (value && typeof value === 'object') {
		return Object.entries(value as IDataObject).map(([key, v]) => ({ key, value: v, secured: false }));
	}
	throw new BitbucketInputError(
		`Variables (JSON) must be an array of {"key", "value", "secured"} objects or an object of key → value, got ${value === null ? 'null' : typeof value}`,
		'variablesJson',
	);
}

/** Secured values never leave the node, even if an API echoed them. */
function withoutSecuredValues(pipeline: IDataObject): IDataObject {
	const variables = pipeline.variables;
	if (!Array.isArray(variables)) return pipeline;
	return {
		...pipeline,
		variables: variables.map((v) => {
			const variable = v as IDataObject;
			return variable.secured ? Object.fromEntries(Object.entries(variable).filter(([key]) => key !== 'value')) : variable;
		}),
	};
}

export async function execute(this: IExecuteFunctions, i: number, { client, defaults }: OperationContext): Promise<OperationResult> {
	const ref = readRepo(this, i, defaults);
	const kind = this.getNodeParameter('targetType', i, 'branch') as string;
	const pattern = readString(this, 'pattern', i) || undefined;
	let target: PipelineTarget;
	if (kind === 'commit') target = { kind: 'commit', hash: readString(this, 'commit', i), pattern };
	else if (kind === 'tag') target = { kind: 'tag', name: readString(this, 'tag', i), pattern };
	else target = { kind: 'branch', name: readBranch(this, i, 'branch', 'Branch'), pattern };

	const variables =
		this.getNodeParameter('variablesInput', i, 'fields') === 'json'
			? variablesFromJson(readJson(this, 'variablesJson', i, 'Variables (JSON)'))
			: ((this.getNodeParameter('variables.variable', i, []) as IDataObject[]) ?? []);
	const pipeline = await client.triggerPipeline(ref, target, variables as PipelineVariable[]);
	return withoutSecuredValues(pipeline as IDataObject);
}

/** The client's arguments, named as the fields the user filled (Variables rows or Variables (JSON)). */
export function fields(this: IExecuteFunctions, i: number): Record<string, string> {
	const kind = this.getNodeParameter('targetType', i, 'branch') as string;
	return {
		variables: this.getNodeParameter('variablesInput', i, 'fields') === 'json' ? 'variablesJson' : 'variables',
		'target.name': kind === 'tag' ? 'tag' : 'branch',
		'target.hash': 'commit',
	};
}
