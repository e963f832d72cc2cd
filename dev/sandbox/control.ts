/**
 * Control endpoints under /_sandbox for out-of-process clients (a real n8n run, the demo): not part of the
 * Bitbucket API, not recorded, no auth, no latency.
 */
import type { OAuth2Server } from './oauth2';
import type { FaultSpec, RecordedRequest } from './types';

export interface ControlTarget {
	readonly baseUrl: string;
	readonly requests: RecordedRequest[];
	clearRequests(): void;
	inject(fault: FaultSpec, times?: number): void;
	clearFaults(): void;
	setLatency(ms: number): void;
	setAppPasswordsEnabled(on: boolean): void;
	reset(): void;
	readonly pendingFaults: number;
	readonly state: { oauth2: OAuth2Server };
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
