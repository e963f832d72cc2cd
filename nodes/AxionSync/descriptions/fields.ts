/**
 * The fields Axion Sync's operations share, as n8n property builders. The registry (actions/index.ts) shows each
 * operation's fields only for that operation; a builder adds only its own extra conditions (Match By, …).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_PROVIDER, type SyncStatus } from '../../shared/sync';

type ShowConditions = NonNullable<IDisplayOptions['show']>;

/** Extra show conditions of a field (the registry adds the operation's own). */
function shownWhen(extra?: ShowConditions): Pick<INodeProperties, 'displayOptions'> {
	return extra && Object.keys(extra).length > 0 ? { displayOptions: { show: extra } } : {};
}

export function providerField(extra?: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'string',
		default: DEFAULT_PROVIDER,
		required: true,
		description: 'The external system: bitbucket, asana, …',
		...shownWhen(extra),
	};
}

export function sourceTableField(options: { required?: boolean; extra?: Record<string, string[]>; description?: string } = {}): INodeProperties {
	return {
		displayName: 'Source Table',
		name: 'sourceTable',
		type: 'string',
		default: '',
		required: options.required ?? true,
		placeholder: 'e.g. def_project',
		description: options.description ?? 'The Axion table of the local record',
		...shownWhen(options.extra),
	};
}

export function sourceKeyField(extra?: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Source Key',
		name: 'sourceKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.Guid }}',
		description: 'The key of the local record in its table',
		...shownWhen(extra),
	};
}

export function externalIdField(extra?: Record<string, string[]>, defaultValue = ''): INodeProperties {
	return {
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: defaultValue,
		required: true,
		// The mapping of a Bitbucket object's `id` field, not a label.
		// eslint-disable-next-line n8n-nodes-base/node-param-placeholder-miscased-id -- the mapping of a Bitbucket object's `id` field
		placeholder: 'e.g. {{ $json.id }}',
		description: 'The ID of the external object (a pull request number, branch name, commit hash, pipeline UUID, …)',
		...shownWhen(extra),
	};
}

export function externalTypeField(options: { required?: boolean; extra?: Record<string, string[]>; description?: string } = {}): INodeProperties {
	const defaultType = options.required === false ? '' : 'pullrequest';
	return {
		displayName: 'External Type',
		name: 'externalType',
		type: 'string',
		default: defaultType,
		required: options.required ?? true,
		placeholder: 'e.g. pullrequest',
		description: options.description ?? 'Kind of external object: pullrequest, branch, pipeline, commit, issue, …',
		...shownWhen(options.extra),
	};
}

export function statusField(defaultValue: SyncStatus): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Synced', value: 'synced' },
			{ name: 'Error', value: 'error' },
			{ name: 'Deleted', value: 'deleted' },
		],
		default: defaultValue,
		description: 'SyncStatus to store',
	};
}

export type NotFoundMode = 'empty' | 'error' | 'passThrough';

export function notFoundField(nullField: string): INodeProperties {
	return {
		displayName: 'If Not Found',
		name: 'notFound',
		type: 'options',
		options: [
			{ name: 'Output Nothing', value: 'empty', description: 'The item produces no output' },
			{ name: 'Fail', value: 'error', description: 'Stop with an error (or an error item with Continue On Fail)' },
			{
				name: 'Pass Item Through',
				value: 'passThrough',
				description: `Output the input item with ${nullField} set to null`,
			},
		],
		default: 'empty',
	};
}

/** Set Status and Unlink find links by source record, by external object, or by Guid. */
export function matchFields(): INodeProperties[] {
	const bySource = { matchBy: ['source'] };
	const byExternal = { matchBy: ['external'] };
	return [
		{
			displayName: 'Match By',
			name: 'matchBy',
			type: 'options',
			options: [
				{ name: 'Local Record', value: 'source', description: 'Source table + source key (+ external type)' },
				{ name: 'External Object', value: 'external', description: 'External ID + external type' },
				{ name: 'Guid', value: 'guid', description: 'The Guid of the link row' },
			],
			default: 'source',
		},
		sourceTableField({ extra: bySource }),
		sourceKeyField(bySource),
		externalTypeField({
			required: false,
			extra: bySource,
			description: 'Empty: every link of the local record',
		}),
		externalIdField(byExternal),
		externalTypeField({ extra: byExternal }),
		providerField({ matchBy: ['source', 'external'] }),
		{
			displayName: 'Guid',
			name: 'guid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.Guid }}',
			...shownWhen({ matchBy: ['guid'] }),
		},
	];
}
