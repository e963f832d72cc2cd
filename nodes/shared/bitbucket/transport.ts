/**
 * The one thing the request layer needs from the outside world: send one HTTP request, return the response.
 * A transport never throws for an HTTP status (4xx/5xx come back as responses); it throws only when no
 * response arrived (connection refused or dropped, DNS, timeout).
 * In n8n it wraps `this.helpers.httpRequestWithAuthentication` (nodes/BitbucketCloud/transport); for scripts and
 * the CLI it is `httpTransport` (lib/http-transport.ts, Node's http/https). No transport follows redirects: the
 * request layer does, on the base URL's origin only.
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
	/**
	 * Hand a successful response's body over as a stream of bytes (a file's content), not read into memory.
	 * An error response's body may come as a stream too: the request layer reads it.
	 */
	stream?: boolean;
	/** A body already encoded (multipart/form-data), sent as it is with its content type; `body` is then unset. */
	raw?: { bytes: Uint8Array; contentType: string };
}

/** A response body handed over as bytes arriving (see TransportRequest.stream). */
export type ByteStream = AsyncIterable<Uint8Array>;

export function isByteStream(value: unknown): value is ByteStream {
	return value !== null && typeof value === 'object' && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** Every byte of a stream, in one buffer. */
export async function readBytes(stream: ByteStream): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let length = 0;
	for await (const chunk of stream) {
		chunks.push(chunk);
		length += chunk.length;
	}
	const bytes = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes;
}

export interface TransportResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body was JSON, else the raw text, else undefined; a ByteStream for `stream` requests. */
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
