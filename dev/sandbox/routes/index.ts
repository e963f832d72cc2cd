import type { RouteDefinition } from '../context';
import { commitRouteDefinitions } from './commits';
import { deploymentRouteDefinitions } from './deployments';
import { diffRouteDefinitions } from './diffs';
import { hookRouteDefinitions } from './hooks';
import { issueRouteDefinitions } from './issues';
import { pipelineRouteDefinitions } from './pipelines';
import { pullRequestContentRouteDefinitions } from './pullrequest-content';
import { mergeRouteDefinitions } from './pullrequest-merge';
import { reviewRouteDefinitions } from './pullrequest-reviews';
import { pullRequestRouteDefinitions } from './pullrequests';
import { refRouteDefinitions } from './refs';
import { repositoryRouteDefinitions } from './repositories';
import { srcRouteDefinitions } from './src';
import { variableRouteDefinitions } from './variables';
import { workspaceRouteDefinitions } from './workspaces';

export const ROUTES: readonly RouteDefinition[] = [
	...workspaceRouteDefinitions,
	...hookRouteDefinitions,
	...repositoryRouteDefinitions,
	...refRouteDefinitions,
	...pullRequestRouteDefinitions,
	...reviewRouteDefinitions,
	...mergeRouteDefinitions,
	...pullRequestContentRouteDefinitions,
	...pipelineRouteDefinitions,
	...commitRouteDefinitions,
	...diffRouteDefinitions,
	...issueRouteDefinitions,
	...deploymentRouteDefinitions,
	...srcRouteDefinitions,
	...variableRouteDefinitions,
];
