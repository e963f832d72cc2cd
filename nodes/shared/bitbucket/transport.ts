import * as http from 'node:http';
import * as https from 'node:https';

/**
 * The one thing the request layer needs from the outside world: send one HTTP request, return the response.
 * A transport never throws for an HTTP status (4xx/5xx come back as responses); it throws only when no
 * response arrived (connection refused or dropped, DNS, timeout).
 * In n8n it wraps `this.helpers.httpRequestWithAuthentication`; in the CLI and tests it is `httpTransport`.
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

export interface HttpTransportOptions {
	/** Value of the Authorization header (see auth.ts); omitted when undefined. */
	authorization?: string;
	/** Per-request timeout, default 60 s. */
	timeoutMs?: number;
	userAgent?: string;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<RawResponse> {
	const secure = url.protocol === 'https:';
	const request = (secure ? https : http).request;
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers, agent: secure ? agents.https : agents.http, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * A transport on Node's http/https (keep-alive), for the CLI, scripts and tests. Redirects are followed for GET
 * only on the same origin (Bitbucket redirects diffs and logs); the Authorization header never leaves the origin.
 */
export function httpTransport(options: HttpTransportOptions = {}): Transport {
	const timeoutMs = options.timeoutMs ?? 60_000;
	return async (request) => {
		let url = new URL(request.url);
		const origin = url.origin;
		for (let hop = 0; ; hop++) {
			const headers: Record<string, string> = {
				Accept: request.text ? 'text/plain, */*' : 'application/json',
				'User-Agent': options.userAgent ?? 'n8n-nodes-axion-bitbucket',
				...request.headers,
			};
			if (options.authorization && url.origin === origin) headers.Authorization = options.authorization;
			let body: string | undefined;
			if (request.body !== undefined) {
				body = JSON.stringify(request.body);
				headers['Content-Type'] = 'application/json';
			}
			const response = await send(url, request.method, headers, body, timeoutMs);
			const location = response.headers.location;
			if (response.status >= 300 && response.status < 400 && typeof location === 'string' && hop < 5 && request.method === 'GET') {
				url = new URL(location, url);
				continue;
			}
			const contentType = response.headers['content-type'];
			return {
				statusCode: response.status,
				headers: response.headers,
				body: parseBody(response.text, Array.isArray(contentType) ? contentType[0] : contentType, request.text),
			};
		}
	};
}
