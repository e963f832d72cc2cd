/**
 * Control endpoints under /_sandbox for out-of-process clients (a real n8n run, the demo): not part of the
 * Bitbucket API, not recorded, no auth, no latency.
 */
import type { PipelineResult } from './model';
import type { OAuth2Server } from './oauth2';
import type { Tamper, WebhookDispatcher } from './webhooks';
import type { FaultSpec, RateLimitSpec, RecordedRequest, TrafficStats } from './types';

export interface ControlTarget {
	readonly baseUrl: string;
	readonly requests: RecordedRequest[];
	clearRequests(): void;
	inject(fault: FaultSpec, times?: number): void;
	clearFaults(): void;
	setLatency(ms: number): void;
	setAppPasswordsEnabled(on: boolean): void;
	setRateLimit(spec: RateLimitSpec | undefined): void;
	readonly traffic: TrafficStats;
	reset(): void;
	readonly pendingFaults: number;
	readonly state: { oauth2: OAuth2Server; mergePendingPolls: number };
	readonly webhooks: WebhookDispatcher;
	touchPullRequests(ids: number[], options?: { at?: string; title?: string; workspace?: string; repo?: string }): string;
	pushCommits(branch: string, count: number, options?: { workspace?: string; repo?: string; message?: string }): Array<{ hash: string }>;
	completePipeline(buildNumber: number, result: PipelineResult, options?: { workspace?: string; repo?: string }): void;
}

export interface ControlResponse {
	status: number;
	body?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A FaultSpec from JSON: `pathPattern` is a regular-expression string (optional `pathFlags`), plus optional `times`. */
export function faultFromJson(input: unknown): { fault: FaultSpec; times: number } {
	if (!isRecord(input)) throw new Error('Expected a JSON object');
	const status = input['status'];
	if (typeof status !== 'number' || !Number.isInteger(status)) throw new Error('status must be an integer');
	const optionalString = (name: string): string | undefined => {
		const v = input[name];
		if (v === undefined || v === null) return undefined;
		if (typeof v !== 'string') throw new Error(`${name} must be a string`);
		return v;
	};
	const pattern = optionalString('pathPattern');
	const flags = optionalString('pathFlags');
	const times = input['times'] ?? 1;
	if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
	const fault: FaultSpec = {
		status,
		retryAfter: optionalString('retryAfter'),
		body: optionalString('body'),
		contentType: optionalString('contentType'),
		drop: input['drop'] === true,
		method: optionalString('method'),
		pathPattern: pattern === undefined ? undefined : new RegExp(pattern, flags),
		afterProcessing: input['afterProcessing'] === true,
		location: optionalString('location'),
	};
	return { fault, times };
}

function stringField(body: unknown, name: string, required = false): string | undefined {
	const value = isRecord(body) ? body[name] : undefined;
	if (value === undefined && !required) return undefined;
	if (typeof value !== 'string' || !value) throw new Error(`${name} must be a non-empty string`);
	return value;
}

function numberField(body: unknown, name: string): number {
	const value = isRecord(body) ? body[name] : undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
	return value;
}

const TAMPERS: readonly Tamper[] = ['noSignature', 'wrongSignature', 'bodyChangedAfterSigning'];
const RESULTS: readonly PipelineResult[] = ['SUCCESSFUL', 'FAILED', 'STOPPED', 'ERROR'];

/** Control routes that return a promise (a redelivery waits for its answer). */
export async function handleAsyncControl(target: ControlTarget, method: string, path: string, body: unknown): Promise<ControlResponse | undefined> {
	const route = `${method} ${path.replace(/\/$/, '')}`;
	try {
		switch (route) {
			case 'POST /_sandbox/webhooks/redeliver':
				await target.webhooks.redeliver(stringField(body, 'requestUuid', true) ?? '');
				return { status: 200, body: target.webhooks.attempts.at(-1) };
			case 'POST /_sandbox/webhooks/idle':
				await target.webhooks.idle();
				return { status: 200, body: { attempts: target.webhooks.attempts.length } };
			default:
				return undefined;
		}
	} catch (error) {
		return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
}

export function handleControl(target: ControlTarget, method: string, path: string, body: unknown): ControlResponse {
	const route = `${method} ${path.replace(/\/$/, '')}`;
	try {
		switch (route) {
			case 'GET /_sandbox/health':
				return { status: 200, body: { status: 'ok', baseUrl: target.baseUrl, requests: target.requests.length, pendingFaults: target.pendingFaults } };
			case 'GET /_sandbox/requests':
				return { status: 200, body: target.requests };
			case 'DELETE /_sandbox/requests':
				target.clearRequests();
				return { status: 204 };
			case 'POST /_sandbox/reset':
				target.reset();
				return { status: 204 };
			case 'POST /_sandbox/faults': {
				const { fault, times } = faultFromJson(body);
				target.inject(fault, times);
				return { status: 201, body: { queued: times, pendingFaults: target.pendingFaults } };
			}
			case 'DELETE /_sandbox/faults':
				target.clearFaults();
				return { status: 204 };
			case 'POST /_sandbox/latency': {
				const ms = isRecord(body) ? body['ms'] : undefined;
				if (typeof ms !== 'number' || ms < 0) throw new Error('Expected {"ms": <non-negative number>}');
				target.setLatency(ms);
				return { status: 204 };
			}
			case 'POST /_sandbox/app-passwords': {
				const enabled = isRecord(body) ? body['enabled'] : undefined;
				if (typeof enabled !== 'boolean') throw new Error('Expected {"enabled": true|false}');
				target.setAppPasswordsEnabled(enabled);
				return { status: 204 };
			}
			case 'POST /_sandbox/rate-limit': {
				// {"every": 20, "nearLimitAfter": 0}; {} or null removes the limit.
				const every = isRecord(body) && body['every'] !== undefined ? body['every'] : undefined;
				const nearLimitAfter = isRecord(body) && body['nearLimitAfter'] !== undefined ? body['nearLimitAfter'] : undefined;
				if ((every !== undefined && typeof every !== 'number') || (nearLimitAfter !== undefined && typeof nearLimitAfter !== 'number')) {
					throw new Error('Expected {"every"?: <whole number>, "nearLimitAfter"?: <whole number>}');
				}
				target.setRateLimit(every === undefined && nearLimitAfter === undefined ? undefined : { every, nearLimitAfter });
				return { status: 204 };
			}
			case 'GET /_sandbox/traffic':
				return { status: 200, body: target.traffic };
			case 'GET /_sandbox/webhooks':
				return { status: 200, body: target.webhooks.attempts };
			case 'POST /_sandbox/webhooks/tamper': {
				const mode = stringField(body, 'mode', true) as Tamper;
				if (!TAMPERS.includes(mode)) throw new Error(`mode must be one of ${TAMPERS.join(', ')}`);
				const times = isRecord(body) && typeof body['times'] === 'number' ? body['times'] : 1;
				target.webhooks.tamperNext(mode, times, stringField(body, 'urlPrefix'));
				return { status: 204 };
			}
			case 'POST /_sandbox/webhooks/config': {
				const timeoutMs = isRecord(body) && typeof body['timeoutMs'] === 'number' ? body['timeoutMs'] : undefined;
				const retryDelayMs = isRecord(body) && typeof body['retryDelayMs'] === 'number' ? body['retryDelayMs'] : undefined;
				target.webhooks.configure({ timeoutMs, retryDelayMs });
				return { status: 204 };
			}
			case 'POST /_sandbox/pullrequests/touch': {
				const ids = isRecord(body) && Array.isArray(body['ids']) ? body['ids'] : [];
				if (ids.length === 0 || !ids.every((id) => Number.isInteger(id))) throw new Error('ids must be a list of pull request ids');
				const updatedOn = target.touchPullRequests(ids as number[], {
					at: stringField(body, 'at'),
					title: stringField(body, 'title'),
					workspace: stringField(body, 'workspace'),
					repo: stringField(body, 'repo'),
				});
				return { status: 200, body: { updatedOn } };
			}
			case 'POST /_sandbox/commits/push': {
				const commits = target.pushCommits(stringField(body, 'branch', true) ?? '', numberField(body, 'count'), {
					workspace: stringField(body, 'workspace'),
					repo: stringField(body, 'repo'),
					message: stringField(body, 'message'),
				});
				return { status: 200, body: { commits: commits.map((c) => c.hash) } };
			}
			case 'POST /_sandbox/pipelines/complete': {
				const result = (stringField(body, 'result') ?? 'SUCCESSFUL') as PipelineResult;
				if (!RESULTS.includes(result)) throw new Error(`result must be one of ${RESULTS.join(', ')}`);
				target.completePipeline(numberField(body, 'buildNumber'), result, { workspace: stringField(body, 'workspace'), repo: stringField(body, 'repo') });
				return { status: 204 };
			}
			case 'GET /_sandbox/oauth2':
				return { status: 200, body: target.state.oauth2.stats };
			case 'POST /_sandbox/oauth2/tokens':
				// A token pair as a completed "Connect my account" leaves it in n8n.
				return { status: 201, body: target.state.oauth2.issue() };
			case 'POST /_sandbox/oauth2/expire':
				return { status: 200, body: { expired: target.state.oauth2.expireAll() } };
			case 'POST /_sandbox/oauth2/revoke':
				return { status: 200, body: { revoked: target.state.oauth2.revokeAll() } };
			default:
				return { status: 404, body: { error: `No control endpoint ${route}` } };
		}
	} catch (error) {
		return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
}
