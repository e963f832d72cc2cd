import { errorBody } from './errors';
import type { FaultSpec } from './types';

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
}

/** Faults wait in order; a request consumes the first one whose method and path pattern match it. */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(spec: FaultSpec, times = 1): void {
		if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
		this.queue.push({ spec, remaining: times });
	}

	clear(): void {
		this.queue = [];
	}

	get pending(): number {
		return this.queue.reduce((n, f) => n + f.remaining, 0);
	}

	take(method: string, path: string): FaultSpec | undefined {
		const index = this.queue.findIndex(({ spec }) => {
			if (spec.method && spec.method.toUpperCase() !== method) return false;
			if (spec.pathPattern) {
				spec.pathPattern.lastIndex = 0;
				if (!spec.pathPattern.test(path)) return false;
			}
			return true;
		});
		if (index < 0) return undefined;
		const fault = this.queue[index];
		fault.remaining -= 1;
		if (fault.remaining === 0) this.queue.splice(index, 1);
		return fault.spec;
	}
}

export interface FaultResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const DEFAULT_MESSAGES: Record<number, string> = {
	500: 'Something went wrong',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
	555: 'The operation timed out. Please retry the request later.',
};

/**
 * What Bitbucket sends for a fault: a 429 is text/plain "Rate limit for this resource has been exceeded" with no
 * Retry-After (unless asked); other statuses get the JSON error envelope.
 */
export function faultResponse(spec: FaultSpec): FaultResponse {
	const headers: Record<string, string> = {};
	let body: string;
	let contentType: string;
	if (spec.location !== undefined) {
		return { status: spec.status, headers: { location: spec.location, 'content-length': '0' }, body: '' };
	}
	if (spec.status === 429) {
		body = spec.body ?? 'Rate limit for this resource has been exceeded';
		contentType = spec.contentType ?? 'text/plain; charset=utf-8';
	} else {
		body = spec.body ?? JSON.stringify(errorBody(DEFAULT_MESSAGES[spec.status] ?? `HTTP ${spec.status}`));
		contentType = spec.contentType ?? 'application/json; charset=utf-8';
	}
	headers['content-type'] = contentType;
	if (spec.retryAfter !== undefined) headers['retry-after'] = spec.retryAfter;
	return { status: spec.status, headers, body };
}
