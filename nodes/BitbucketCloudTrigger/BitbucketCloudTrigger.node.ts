/**
 * Bitbucket Cloud Trigger: starts the workflow when Bitbucket delivers a webhook.
 *
 * Activation registers a webhook on the repository or workspace with n8n's URL and a fresh random secret (kept in
 * the node's static data, never output or logged); a webhook already registered for the same URL is taken over
 * with a new secret rather than trusted. Deactivation deletes it (already gone counts as done).
 *
 * Every delivery is checked before anything runs: the HMAC-SHA256 signature of the raw body (X-Hub-Signature), in
 * constant time; then the event (only the selected ones start an execution); then the request UUID (a
 * redelivery starts nothing). A refused delivery is answered 401 and logged in one line, without its body.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { BitbucketApiError } from '../shared/bitbucket/errors';
import type { WebhookScope } from '../shared/bitbucket/client';
import { newWebhookSecret, verifyWebhookSignature } from '../shared/bitbucket/webhookSignature';
import { authenticationProperty, bitbucketCredentials } from '../BitbucketCloud/descriptions/authentication';
import { repositoryLocator, workspaceLocator } from '../BitbucketCloud/descriptions/locators';
import { toNodeError } from '../BitbucketCloud/helpers/errors';
import { locatorOf, repoFrom, workspaceFrom } from '../BitbucketCloud/helpers/locators';
import { listSearch } from '../BitbucketCloud/methods';
import { connect } from '../BitbucketCloud/transport';
import { checkAndRecord, forget, normalizeUuid, type SeenRequests } from './deliveries';
import { BUILD_STATUS_EVENTS, getEvents } from './events';
import { pushChangeOf, pushChanges, simplifyEvent } from './simplify';

/** What the node keeps between activation and deliveries (n8n stores it with the workflow). */
interface HookState {
	hookUuid?: string;
	secret?: string;
	url?: string;
	events?: string[];
	seen?: SeenRequests;
}

const BUILD_STATES = ['SUCCESSFUL', 'FAILED', 'STOPPED', 'INPROGRESS'];

/** Repository or workspace, from the node's fields (or the credential's defaults). */
async function subjectOf(context: IHookFunctions) {
	const connected = await connect(context);
	const workspace = locatorOf(context.getNodeParameter('workspace', ''));
	const scope: WebhookScope =
		context.getNodeParameter('subject', 'repository') === 'workspace'
			? { workspace: workspaceFrom(workspace, connected.defaults) }
			: (({ workspace: ws, repo }) => ({ workspace: ws, repo }))(repoFrom(workspace, locatorOf(context.getNodeParameter('repository', '')), connected.defaults));
	return { ...connected, scope };
}

function sameEvents(a: readonly string[] = [], b: readonly string[] = []): boolean {
	return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function hookState(context: IHookFunctions | IWebhookFunctions): HookState {
	return context.getWorkflowStaticData('node') as HookState;
}

function scopeKey(context: IWebhookFunctions | IHookFunctions): string {
	return `${context.getWorkflow().id ?? ''}:${context.getNode().name}`;
}

export class BitbucketCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitbucket Cloud Trigger',
		name: 'bitbucketCloudTrigger',
		icon: { light: 'file:bitbucketCloud.svg', dark: 'file:bitbucketCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Bitbucket Cloud sends a signed webhook (pull requests, pushes, builds, issues)',
		defaults: { name: 'Bitbucket Cloud Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitbucketCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			authenticationProperty('The credential needs the webhook scope (write:webhook:bitbucket, or "webhook" for OAuth2)'),
			{
				displayName: 'Listen On',
				name: 'subject',
				type: 'options',
				options: [
					{ name: 'Repository', value: 'repository', description: 'Events of one repository' },
					{ name: 'Workspace', value: 'workspace', description: 'Events of every repository in a workspace' },
				],
				default: 'repository',
			},
			workspaceLocator,
			{ ...repositoryLocator, displayOptions: { show: { subject: ['repository'] } } },
			{
				displayName: 'Event Names or IDs',
				name: 'events',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEvents', loadOptionsDependsOn: ['subject'] },
				default: ['pullrequest:created', 'pullrequest:updated', 'pullrequest:fulfilled'],
				required: true,
				description:
					'The events that start the workflow. Pipelines have no completion event: choose "Pipeline or Build Finished" (build statuses). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Build States',
						name: 'buildStates',
						type: 'multiOptions',
						options: BUILD_STATES.map((state) => ({ name: state.charAt(0) + state.slice(1).toLowerCase(), value: state })),
						default: ['SUCCESSFUL', 'FAILED', 'STOPPED'],
						description: 'For build status events: only these states start the workflow (a finished pipeline is Successful, Failed or Stopped)',
					},
					{
						displayName: 'One Item per Push Change',
						name: 'splitPushChanges',
						type: 'boolean',
						default: false,
						description: 'Whether a push of several branches or tags gives one item per change instead of one item with all of them',
					},
					{
						displayName: 'Simplify',
						name: 'simplify',
						type: 'boolean',
						default: false,
						description: "Whether to output one flat item per event (actor, repository, pull request, push change, build status) instead of Bitbucket's payload",
					},
				],
			},
		],
	};

	methods = { loadOptions: { getEvents }, listSearch };

	webhookMethods = {
		default: {
			/** Ours only if we hold its secret and it still points here with the chosen events. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = hookState(this);
				if (!state.hookUuid || !state.secret) return false;
				const { client, scope } = await subjectOf(this);
				const hook = await client.webhooks.get(scope, state.hookUuid).catch((error: unknown) => {
					if (error instanceof BitbucketApiError && error.status === 404) return undefined;
					return Promise.reject(toNodeError(this.getNode(), error, 0));
				});
				const url = this.getNodeWebhookUrl('default');
				const events = this.getNodeParameter('events', []) as string[];
				return hook !== undefined && hook.url === url && hook.active !== false && sameEvents(hook.events as string[], events);
			},

			/** Registers the webhook with a fresh secret, taking over one already registered for this URL. */
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') ?? '';
				const events = this.getNodeParameter('events', []) as string[];
				const secret = newWebhookSecret();
				const description = `n8n: ${this.getWorkflow().name ?? 'workflow'} (${this.getNode().name})`.slice(0, 250);
				const state = hookState(this);
				const outcome = await subjectOf(this)
					.then(async ({ client, scope }) => {
						const existing = (await client.webhooks.list(scope)).find((hook) => hook.url === url);
						return existing?.uuid
							? await client.webhooks.update(scope, String(existing.uuid), { url, events, secret, description, active: true })
							: await client.webhooks.create(scope, { url, events, secret, description, active: true });
					})
					.then(
						(hook) => ({ hook }),
						(error: unknown) => ({ error }),
					);
				if ('error' in outcome) throw toNodeError(this.getNode(), outcome.error, 0);
				state.hookUuid = String(outcome.hook.uuid);
				state.secret = secret;
				state.url = url;
				state.events = events;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const state = hookState(this);
				forget(scopeKey(this));
				if (!state.hookUuid) return true;
				const { client, scope } = await subjectOf(this);
				const gone = await client.webhooks.delete(scope, state.hookUuid).then(
					() => true,
					(error: unknown) => error instanceof BitbucketApiError && error.status === 404,
				);
				if (!gone) return false;
				delete state.hookUuid;
				delete state.secret;
				delete state.url;
				delete state.events;
				delete state.seen;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const headers = this.getHeaderData() as Record<string, string | string[] | undefined>;
		const state = hookState(this);
		const event = String(headers['x-event-key'] ?? '');
		const requestUuid = normalizeUuid(headers['x-request-uuid']);
		const attempt = Number(headers['x-attempt-number'] ?? 1) || 1;

		const check = verifyWebhookSignature((request as { rawBody?: Buffer }).rawBody, headers['x-hub-signature'], state.secret);
		if (!check.ok) {
			this.logger.warn(
				`Bitbucket Cloud Trigger "${this.getNode().name}" refused a delivery (${check.reason}): event ${event || '?'}, request ${requestUuid || '?'}, attempt ${attempt}`,
			);
			this.getResponseObject().status(401).send('Unauthorized').end();
			return { noWebhookResponse: true };
		}

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(event)) return { webhookResponse: 'Event not selected' };

		const seen = checkAndRecord(scopeKey(this), requestUuid, state.seen, Date.now());
		// Reassigned (not mutated) so that n8n notices the change and stores it after the delivery.
		state.seen = seen.stored;
		if (seen.duplicate) return { webhookResponse: 'Already received' };

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const payload = this.getBodyData() as Record<string, unknown>;
		if (BUILD_STATUS_EVENTS.includes(event)) {
			const states = (options.buildStates as string[] | undefined) ?? ['SUCCESSFUL', 'FAILED', 'STOPPED'];
			const buildState = String((payload.commit_status as { state?: unknown } | undefined)?.state ?? '');
			if (states.length > 0 && !states.includes(buildState)) return { webhookResponse: 'Build state not selected' };
		}

		const meta = { event, hookUuid: normalizeUuid(headers['x-hook-uuid']), requestUuid, attempt };
		const simplify = options.simplify === true;
		let items: IDataObject[];
		if (event === 'repo:push' && options.splitPushChanges === true) {
			items = pushChanges(payload).map((change) =>
				simplify ? { ...simplifyEvent(event, { ...payload, push: undefined }), ...pushChangeOf(change), requestUuid } : { ...meta, ...payload, push: { changes: [change] } },
			);
		} else {
			items = [simplify ? { ...simplifyEvent(event, payload), requestUuid, attempt } : { ...meta, ...payload }];
		}
		const output: INodeExecutionData[] = items.map((json) => ({ json }));
		return { workflowData: [output] };
	}
}
