/**
 * Bitbucket Cloud Poll Trigger: for n8n instances Bitbucket cannot reach (no public webhook URL). Each poll runs one
 * filtered, sorted query through the shared request layer and emits only what changed since the last poll, each
 * change exactly once (watches.ts, watermark.ts). The first poll after activation records the starting point and
 * emits nothing; "Fetch Test Event" returns the newest matching object and moves nothing.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import type { PullRequestState } from '../shared/bitbucket/types';
import { refName } from '../shared/bitbucket/paths';
import { authenticationProperty, bitbucketCredentials } from '../BitbucketCloud/descriptions/authentication';
import { branchLocator, repoLocators } from '../BitbucketCloud/descriptions/locators';
import { toNodeError } from '../BitbucketCloud/helpers/errors';
import { branchFrom, locatorOf, repoFrom } from '../BitbucketCloud/helpers/locators';
import { listSearch } from '../BitbucketCloud/methods';
import { connect } from '../BitbucketCloud/transport';
import { WATCHES, type PollState, type WatchName, type WatchSettings } from './watches';

/**
 * A poll does not sit out Bitbucket's rate limit: a 429 without Retry-After (Bitbucket's usual) fails the poll at
 * once and leaves its starting point unchanged, so the next poll catches up. Server errors get two quick retries.
 */
const POLL_RETRY = { maxRetries: 2, maxTotalWaitMs: 30_000 };

const option = (name: string, value: string, description?: string) => ({ name, value, ...(description ? { description } : {}) });

export class BitbucketCloudPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitbucket Cloud Poll Trigger',
		name: 'bitbucketCloudPollTrigger',
		icon: { light: 'file:bitbucketCloud.svg', dark: 'file:bitbucketCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"pullRequests":"Pull Requests","pipelines":"Pipelines Completed","commits":"New Commits","issues":"Issues"}[$parameter["watch"]] }}',
		description: 'Checks Bitbucket Cloud on a schedule and emits each new or changed pull request, finished pipeline, commit or issue once',
		defaults: { name: 'Bitbucket Cloud Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitbucketCredentials,
		properties: [
			authenticationProperty(),
			...repoLocators,
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				noDataExpression: true,
				options: [
					option('Pull Requests Created or Updated', 'pullRequests', 'Every pull request created or changed since the last poll'),
					option('Pipelines Completed', 'pipelines', 'Every pipeline that finished since the last poll'),
					option('New Commits on a Branch', 'commits', 'Every commit pushed to the branch since the last poll'),
					option('Issues Created or Updated', 'issues', 'Every issue created or changed since the last poll (deprecated tracker)'),
				],
				default: 'pullRequests',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				options: [option('Declined', 'DECLINED'), option('Merged', 'MERGED'), option('Open', 'OPEN'), option('Superseded', 'SUPERSEDED')],
				default: ['OPEN', 'MERGED', 'DECLINED'],
				description: 'Only pull requests in these states. Include Merged and Declined to see pull requests closing.',
				displayOptions: { show: { watch: ['pullRequests'] } },
			},
			{
				displayName: 'Results',
				name: 'results',
				type: 'multiOptions',
				options: [option('Error', 'ERROR'), option('Failed', 'FAILED'), option('Stopped', 'STOPPED'), option('Successful', 'SUCCESSFUL')],
				default: [],
				description: 'Only pipelines that finished with one of these results. Empty: any result.',
				displayOptions: { show: { watch: ['pipelines'] } },
			},
			{ ...branchLocator('branch', 'Branch'), displayOptions: { show: { watch: ['commits'] } } },
			{
				displayName: 'Branch',
				name: 'pipelineBranch',
				type: 'string',
				default: '',
				placeholder: 'e.g. main',
				hint: 'Empty: pipelines of every branch, tag and custom run',
				displayOptions: { show: { watch: ['pipelines'] } },
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to ask Bitbucket for a curated set of fields (fewer bytes per poll) instead of the full objects',
			},
		],
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const name = this.getNodeParameter('watch', 'pullRequests') as WatchName;
		const watch = WATCHES[name];
		if (!watch) throw new NodeOperationError(this.getNode(), `Unknown watch "${String(name)}"`);
		const outcome = await (async () => {
			const { client, defaults } = await connect(this, { retry: POLL_RETRY });
			const settings = readSettings(this, name, defaults);
			if (this.getMode() === 'manual') return { items: await watch.sample(client, settings) };
			const state = this.getWorkflowStaticData('node') as PollState;
			const key = JSON.stringify([name, settings.ref, settings.states, settings.results, settings.branch ?? '']);
			if (state.key !== key) {
				// First poll of this configuration: record where "now" is; nothing is emitted.
				const start = await watch.start(client, settings);
				for (const field of Object.keys(state)) delete (state as IDataObject)[field];
				Object.assign(state, start, { key });
				return { items: [] };
			}
			const { emit, next } = await watch.poll(client, settings, state);
			// Assigned key by key on the stored object, so that n8n saves it after the poll.
			Object.assign(state, next);
			return { items: emit };
		})().then(
			(result) => result,
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) throw toNodeError(this.getNode(), outcome.error, 0);
		return outcome.items.length > 0 ? [this.helpers.returnJsonArray(outcome.items)] : null;
	}
}

function readSettings(context: IPollFunctions, name: WatchName, defaults: { workspace: string; repository: string }): WatchSettings {
	const ref = repoFrom(locatorOf(context.getNodeParameter('workspace', '')), locatorOf(context.getNodeParameter('repository', '')), defaults);
	const simplify = context.getNodeParameter('simplify', true) as boolean;
	const settings: WatchSettings = { ref, states: [], results: [], simplify };
	if (name === 'pullRequests') settings.states = (context.getNodeParameter('states', []) as PullRequestState[]) ?? [];
	if (name === 'pipelines') {
		settings.results = (context.getNodeParameter('results', []) as string[]) ?? [];
		const branch = String(context.getNodeParameter('pipelineBranch', '') ?? '').trim();
		if (branch) settings.branch = refName(branch, 'pipelineBranch', 'Branch');
	}
	if (name === 'commits') settings.branch = branchFrom(locatorOf(context.getNodeParameter('branch', '')), 'branch', 'Branch');
	return settings;
}
