import type { INodeProperties } from 'n8n-workflow';

/** The curated pipeline fields that Simplify asks Bitbucket for. */
export const PIPELINE_FIELDS = [
	'uuid',
	'build_number',
	'state.name',
	'state.result.name',
	'target.ref_type',
	'target.ref_name',
	'target.commit.hash',
	'target.selector.pattern',
	'creator.display_name',
	'created_on',
	'completed_on',
	'duration_in_seconds',
];

export const pipelineUuidField: INodeProperties = {
	displayName: 'Pipeline UUID',
	name: 'pipelineUuid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {c4a8e0a1-…}',
	description: 'The UUID of the pipeline, with or without braces (the `uuid` field of Get Many)',
};
