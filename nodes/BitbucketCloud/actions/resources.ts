import { branch } from './branch';
import { commit } from './commit';
import { customApiCall } from './customApiCall';
import { deployment } from './deployment';
import { issue } from './issue';
import { pipeline } from './pipeline';
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
	issue,
	pipeline,
	pullRequest,
	repository,
	tag,
	webhook,
};
