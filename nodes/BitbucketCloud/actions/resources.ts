import { branch } from './branch';
import { commit } from './commit';
import { customApiCall } from './customApiCall';
import { deployment } from './deployment';
import { file } from './file';
import { issue } from './issue';
import { pipeline } from './pipeline';
import { pipelineVariable } from './pipelineVariable';
import { pullRequest } from './pullRequest';
import { repository } from './repository';
import { tag } from './tag';
import type { Resource } from './types';
import { webhook } from './webhook';

/** Every resource of the node, in the order of the Resource dropdown. */
export const resources: Record<string, Resource> = {
	branch,
	commit,
	customApiCall,
	deployment,
	file,
	issue,
	pipeline,
	pipelineVariable,
	pullRequest,
	repository,
	tag,
	webhook,
};
