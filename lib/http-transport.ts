/**
 * The transport for scripts and the CLI: Node's http/https with keep-alive connections. Like every transport it
 * does not follow redirects (the request layer follows same-origin ones) and throws only when no answer came.
 */
import * as http from 'node:http';
import * as https from 'node:https';

import { parseBody, TransportNetworkError, type Transport } from '../nodes/shared/bitbucket/transport';

export interface HttpTransportOptions {
	/** Value of the Authorization header (see nodes/shared/bitbucket/auth.ts); omitted when undefined. */
	authorization?: string;
	/** Per-request timeout, default 60 s. */
	timeoutMs?: number;
	userAgent?: string;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** The whole body as text, or the response itself (a byte stream) for streamed requests. */
	text: string;
	stream?: http.IncomingMessage;
}

function send(
	url: URL,
	method: string,
	headers: Record<string, string>,
	body: string | Uint8Array | undefined,
	timeoutMs: number,
	stream: boolean,
): Promise<RawResponse> {
	const secure = url.protocol === 'https:';
	const request = (secure ? https : http).request;
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers, agent: secure ? agents.https : agents.http, timeout: timeoutMs }, (res) => {
			const status = res.statusCode ?? 0;
			if (stream && status >= 200 && status < 300) {
				resolve({ status, headers: res.headers, text: '', stream: res });
				return;
			}
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', (error: NodeJS.ErrnoException) => reject(new TransportNetworkError(error.code ?? error.message, error.code)));
		});
		req.on('timeout', () => req.destroy(new TransportNetworkError(`no response within ${timeoutMs} ms`, 'ETIMEDOUT')));
		req.on('error', (error: NodeJS.ErrnoException) =>
			reject(error instanceof TransportNetworkError ? error : new TransportNetworkError(error.code ?? error.message, error.code)),
		);
		req.end(body);
	});
}

export function httpTransport(options: HttpTransportOptions = {}): Transport {
	const timeoutMs = options.timeoutMs ?? 60_000;
	return async (request) => {
		const headers: Record<string, string> = {
			Accept: request.text || request.stream ? '*/*' : 'application/json',
			'User-Agent': options.userAgent ?? 'n8n-nodes-axion-bitbucket',
			...request.headers,
		};
		if (options.authorization) headers.Authorization = options.authorization;
		let body: string | Uint8Array | undefined;
		if (request.raw) {
			body = request.raw.bytes;
			headers['Content-Type'] = request.raw.contentType;
		} else if (request.body !== undefined) {
			body = JSON.stringify(request.body);
			headers['Content-Type'] = 'application/json';
		}
		const response = await send(new URL(request.url), request.method, headers, body, timeoutMs, request.stream === true);
		if (response.stream) return { statusCode: response.status, headers: response.headers, body: response.stream };
		const contentType = response.headers['content-type'];
		return {
			statusCode: response.status,
			headers: response.headers,
			body: parseBody(response.text, Array.isArray(contentType) ? contentType[0] : contentType, request.text),
		};
	};
}

/** Waiting for scripts: a plain timer (n8n passes its own `sleep`). */
export function timerSleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
