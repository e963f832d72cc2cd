/** Webhooks of a repository (`…/hooks`) or a workspace (`/workspaces/{ws}/hooks`). The secret is never returned. */
import { BitbucketInputError } from '../errors';
import { path, repoPath, tryUrl, uuid, workspaceId } from '../paths';
import type { Webhook } from '../types';
import { PAGE_SIZE, ResourcePart, type ListOptions } from './part';

export interface WebhookInput {
	url: string;
	description?: string;
	events: string[];
	active?: boolean;
	/** Bitbucket signs deliveries with it (X-Hub-Signature: sha256=…); it cannot be read back. */
	secret?: string;
}

/** A repository's hooks when `repo` is given, else the workspace's. */
export type WebhookScope = { workspace: string; repo?: string };

/** An event a webhook can subscribe to, as `/hook_events/{subject_type}` lists it. */
export interface HookEventType {
	event: string;
	category?: string;
	label?: string;
	description?: string;
}

export class WebhooksPart extends ResourcePart {
	/** The events a repository or workspace webhook can subscribe to (public data, no scope needed). */
	async eventTypes(subjectType: 'repository' | 'workspace'): Promise<HookEventType[]> {
		return await this.collect<HookEventType>(path('hook_events', subjectType), PAGE_SIZE.default, {}, {});
	}

	async list(scope: WebhookScope, options: ListOptions = {}): Promise<Webhook[]> {
		return await this.collect<Webhook>(hooksPath(scope), PAGE_SIZE.default, options, {});
	}

	async get(scope: WebhookScope, webhookUid: string): Promise<Webhook> {
		return await this.fetchOne<Webhook>(hookPath(scope, webhookUid));
	}

	/** The secret is sent to Bitbucket (which signs deliveries with X-Hub-Signature) and never returned. */
	async create(scope: WebhookScope, input: WebhookInput): Promise<Webhook> {
		return await this.write<Webhook>('POST', hooksPath(scope), webhookBody(input));
	}

	/** Replaces a webhook's URL, events and secret (PUT). */
	async update(scope: WebhookScope, webhookUid: string, input: WebhookInput): Promise<Webhook> {
		return await this.write<Webhook>('PUT', hookPath(scope, webhookUid), webhookBody(input));
	}

	async delete(scope: WebhookScope, webhookUid: string): Promise<void> {
		await this.write('DELETE', hookPath(scope, webhookUid));
	}
}

function webhookBody(input: WebhookInput): Record<string, unknown> {
	const parsed = tryUrl(String(input.url));
	if (!parsed) throw new BitbucketInputError(`Webhook URL "${String(input.url)}" is not a valid URL`, 'url');
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new BitbucketInputError('Webhook URL must be http(s)', 'url');
	if (!Array.isArray(input.events) || input.events.length === 0) throw new BitbucketInputError('Choose at least one event', 'events');
	for (const event of input.events) {
		if (typeof event !== 'string' || !/^[a-z_]+:[a-z_]+$/.test(event)) {
			throw new BitbucketInputError(`Event ${JSON.stringify(event)} is not a Bitbucket event key (e.g. pullrequest:created)`, 'events');
		}
	}
	const body: Record<string, unknown> = {
		url: input.url,
		description: input.description || 'n8n',
		events: input.events,
		active: input.active ?? true,
	};
	if (input.secret) body.secret = input.secret;
	return body;
}

function hooksPath(scope: WebhookScope): string {
	return scope.repo ? repoPath({ workspace: scope.workspace, repo: scope.repo }, 'hooks') : path('workspaces', workspaceId(scope.workspace), 'hooks');
}

function hookPath(scope: WebhookScope, webhookUid: string): string {
	return `${hooksPath(scope)}/${encodeURIComponent(uuid(webhookUid, 'webhookUid', 'Webhook ID'))}`;
}
