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

/**
 * Thrown by a transport when no response arrived (connection refused, dropped, timed out, DNS). The request layer
 * retries these for idempotent methods only. Anything else a transport throws (n8n's own errors, such as an OAuth2
 * credential that must be reconnected, or a cancelled execution) is passed on untouched and never retried.
 */
export class TransportNetworkError extends Error {
	constructor(
		message: string,
		/** The system error code, e.g. ECONNRESET, when there is one. */
		readonly code?: string,
	) {
		super(message);
		this.name = 'TransportNetworkError';
	}
}

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
			res.on('error', (error: NodeJS.ErrnoException) => reject(new TransportNetworkError(error.code ?? error.message, error.code)));
		});
		req.on('timeout', () => req.destroy(new TransportNetworkError(`no response within ${timeoutMs} ms`, 'ETIMEDOUT')));
		req.on('error', (error: NodeJS.ErrnoException) =>
			reject(error instanceof TransportNetworkError ? error : new TransportNetworkError(error.code ?? error.message, error.code)),
		);
		req.end(body);
	});
}

/**
 * A transport on Node's http/https (keep-alive), for the CLI, scripts and tests. It does not follow redirects:
 * like every transport it returns the 3xx, and the request layer follows it when it stays on the base URL's
 * origin (Bitbucket redirects diffs and logs) and refuses it otherwise.
 */
export function httpTransport(options: HttpTransportOptions = {}): Transport {
	const timeoutMs = options.timeoutMs ?? 60_000;
	return async (request) => {
		const url = new URL(request.url);
		const headers: Record<string, string> = {
			Accept: request.text ? 'text/plain, */*' : 'application/json',
			'User-Agent': options.userAgent ?? 'n8n-nodes-axion-bitbucket',
			...request.headers,
		};
		if (options.authorization) headers.Authorization = options.authorization;
		let body: string | undefined;
		if (request.body !== undefined) {
			body = JSON.stringify(request.body);
			headers['Content-Type'] = 'application/json';
		}
		const response = await send(url, request.method, headers, body, timeoutMs);
		const contentType = response.headers['content-type'];
		return {
			statusCode: response.status,
			headers: response.headers,
			body: parseBody(response.text, Array.isArray(contentType) ? contentType[0] : contentType, request.text),
		};
	};
}
