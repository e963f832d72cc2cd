/**
 * Errors of the Bitbucket layer. Every error names what went wrong in words a workflow builder understands,
 * and none carries an Authorization header or a secret: the request layer redacts before constructing them.
 */

export type FieldErrors = Record<string, string[]>;

export abstract class BitbucketError extends Error {
	abstract readonly kind: 'api' | 'input' | 'network' | 'pagination' | 'link' | 'timeout';
}

/** Bitbucket answered with an error status (after any retries). */
export class BitbucketApiError extends BitbucketError {
	readonly kind = 'api';

	constructor(
		message: string,
		readonly status: number,
		readonly details: {
			detail?: string;
			fields?: FieldErrors;
			method: string;
			url: string;
			/** Requests sent for this call, retries included. */
			attempts: number;
			/** Bitbucket's error id, useful when contacting Atlassian support. */
			errorId?: string;
			/** The raw `error` object (or text) of the response, redacted. */
			body?: unknown;
		},
	) {
		super(message);
		this.name = 'BitbucketApiError';
	}

	get detail(): string | undefined {
		return this.details.detail;
	}

	get fields(): FieldErrors | undefined {
		return this.details.fields;
	}

	/** Detail and field errors as readable lines (for n8n's error description). */
	get description(): string {
		const lines: string[] = [];
		if (this.details.detail) lines.push(this.details.detail);
		for (const [field, messages] of Object.entries(this.details.fields ?? {})) {
			lines.push(`${field}: ${messages.join('; ')}`);
		}
		lines.push(`${this.details.method} ${this.details.url} → HTTP ${this.status}`);
		return lines.join('\n');
	}
}

/** Invalid input detected before any request was sent. `field` names the parameter. */
export class BitbucketInputError extends BitbucketError {
	readonly kind = 'input';

	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'BitbucketInputError';
	}
}

/** No response arrived (connection refused or dropped, timeout) and the request could not be retried safely. */
export class BitbucketNetworkError extends BitbucketError {
	readonly kind = 'network';

	constructor(
		message: string,
		readonly method: string,
		readonly url: string,
		readonly attempts: number,
		/** True when Bitbucket may have carried the request out (a POST whose answer was lost). */
		readonly processed = false,
	) {
		super(message);
		this.name = 'BitbucketNetworkError';
	}

	/** What the user should do next, in words. */
	get description(): string {
		return this.processed
			? `The connection was lost before Bitbucket answered, so the ${this.method} may or may not have been carried out. ` +
					'It was not sent again, so that nothing is created twice. Check in Bitbucket whether it took effect before running it again.'
			: `${this.method} ${this.url}: no answer after ${this.attempts} attempt(s). Check the Base URL of the credential, the network and Bitbucket's status page.`;
	}
}

/**
 * A link that would leave the configured base URL's origin (a `next` page, a redirect, a task Location), or that
 * cannot be read: refused before anything is sent, so credentials never reach another server.
 */
export class BitbucketLinkError extends BitbucketError {
	readonly kind = 'link';

	constructor(
		message: string,
		/** Where the link came from. */
		readonly source: 'next' | 'redirect' | 'location',
	) {
		super(message);
		this.name = 'BitbucketLinkError';
	}
}

/** Pagination stopped for a reason the caller must know about (maxPages reached, a loop of `next` links). */
export class BitbucketPaginationError extends BitbucketError {
	readonly kind = 'pagination';

	constructor(
		message: string,
		readonly fetched: number,
		readonly pages: number,
	) {
		super(message);
		this.name = 'BitbucketPaginationError';
	}
}

/** An asynchronous Bitbucket task (a 202 merge) did not finish in time. */
export class BitbucketTimeoutError extends BitbucketError {
	readonly kind = 'timeout';

	constructor(message: string) {
		super(message);
		this.name = 'BitbucketTimeoutError';
	}
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad request',
	401: 'Authentication failed',
	403: 'Access denied',
	404: 'Not found',
	409: 'Conflict',
	410: 'Gone',
	429: 'Rate limit exceeded',
	500: 'Bitbucket server error',
	502: 'Bad gateway',
	503: 'Bitbucket unavailable',
	504: 'Gateway timeout',
	555: 'Bitbucket timed out processing the request',
};

interface ParsedErrorBody {
	message?: string;
	detail?: string;
	fields?: FieldErrors;
	id?: string;
	raw: unknown;
}

/**
 * Reads Bitbucket's error envelope `{type:"error", error:{message, detail, fields, id}}`, and copes with
 * non-JSON bodies (429 text/plain, proxy HTML pages, empty 400s from scope problems).
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const error = (body as { error?: unknown }).error;
		if (error && typeof error === 'object') {
			const e = error as Record<string, unknown>;
			const detail =
				typeof e.detail === 'string'
					? e.detail
					: e.detail !== undefined
						? JSON.stringify(e.detail)
						: undefined;
			let fields: FieldErrors | undefined;
			if (e.fields && typeof e.fields === 'object') {
				fields = {};
				for (const [k, v] of Object.entries(e.fields as Record<string, unknown>)) {
					fields[k] = Array.isArray(v) ? v.map(String) : [String(v)];
				}
			}
			return {
				message: typeof e.message === 'string' ? e.message : undefined,
				detail,
				fields,
				id: typeof e.id === 'string' ? e.id : undefined,
				raw: error,
			};
		}
		return { raw: body };
	}
	if (typeof body === 'string' && body.trim()) {
		const text = body.trim();
		// An HTML page (a proxy or load balancer) is noise to a workflow builder: keep only its <title>.
		if (/^<(!doctype|html)/i.test(text)) {
			const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
			return { message: title ? `Non-JSON response: ${title}` : 'Non-JSON (HTML) response', raw: title ?? '' };
		}
		return { message: text.length > 300 ? `${text.slice(0, 300)}…` : text, raw: text };
	}
	return { raw: undefined };
}

export function statusText(status: number): string {
	return STATUS_TEXT[status] ?? `HTTP ${status}`;
}
