/**
 * The one thing the request layer needs from the outside world: send one HTTP request, return the response.
 * A transport never throws for an HTTP status (4xx/5xx come back as responses); it throws only when no
 * response arrived (connection refused or dropped, DNS, timeout).
 * In n8n it wraps `this.helpers.httpRequestWithAuthentication`; in the CLI and tests it is `fetchTransport`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface TransportRequest {
	method: HttpMethod;
	/** Absolute URL, query string included (built by the request layer). */
	url: string;
	headers: Record<string, string>;
	/** JSON body; `undefined` means no body and no Content-Type at all. */
	body?: unknown;
	/** Read the body as text (logs, diffs) instead of parsing JSON. */
	text?: boolean;
}

export interface TransportResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body was JSON, else the raw text, else undefined. */
	body: unknown;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Parses a response body the way Bitbucket sends it: JSON when it is JSON, the text otherwise. */
export function parseBody(text: string, contentType: string | undefined, asText = false): unknown {
	if (text === '') return undefined;
	if (!asText && (contentType?.includes('json') || /^\s*[[{]/.test(text))) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

export interface FetchTransportOptions {
	/** Value of the Authorization header (see auth.ts); omitted when undefined. */
	authorization?: string;
	/** Per-request timeout, default 60 s. */
	timeoutMs?: number;
	userAgent?: string;
}

/**
 * A transport on Node's fetch, for the CLI, scripts and tests. Redirects are followed only on the same origin
 * (Bitbucket redirects diffs and logs); the Authorization header is never sent to another origin.
 */
export function fetchTransport(options: FetchTransportOptions = {}): Transport {
	const timeoutMs = options.timeoutMs ?? 60_000;
	return async (request) => {
		let url = request.url;
		for (let hop = 0; ; hop++) {
			const headers: Record<string, string> = {
				Accept: request.text ? 'text/plain, */*' : 'application/json',
				'User-Agent': options.userAgent ?? 'n8n-nodes-axion-bitbucket',
				...request.headers,
			};
			if (options.authorization && sameOrigin(url, request.url)) headers.Authorization = options.authorization;
			let body: string | undefined;
			if (request.body !== undefined) {
				body = JSON.stringify(request.body);
				headers['Content-Type'] = 'application/json';
			}
			const response = await fetch(url, {
				method: request.method,
				headers,
				body,
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			});
			const location = response.headers.get('location');
			if (response.status >= 300 && response.status < 400 && location && hop < 5 && request.method === 'GET') {
				await response.arrayBuffer();
				url = new URL(location, url).toString();
				continue;
			}
			const text = await response.text();
			const responseHeaders: Record<string, string> = {};
			response.headers.forEach((value, key) => {
				responseHeaders[key] = value;
			});
			return {
				statusCode: response.status,
				headers: responseHeaders,
				body: parseBody(text, response.headers.get('content-type') ?? undefined, request.text),
			};
		}
	};
}

function sameOrigin(a: string, b: string): boolean {
	return new URL(a).origin === new URL(b).origin;
}
