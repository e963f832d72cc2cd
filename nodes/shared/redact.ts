/**
 * The one redaction policy of the package (Bitbucket core, sync store, both nodes): a secret must not show in
 * an error, a log line or an output in any of the forms it travels in.
 *  - as typed (a token, a password);
 *  - percent-encoded, as it appears in a URL when it ended up in a path or query (both hex cases, and `+` for
 *    spaces as in form encoding);
 *  - base64 and URL-safe base64 (with and without padding), as in an HTTP Basic header (`user:secret`) or a
 *    token passed on in encoded form.
 * Secrets shorter than MIN_SECRET_LENGTH are ignored: blanking 1-2 letter strings would shred ordinary words.
 */

export const REDACTED = '***';

export const MIN_SECRET_LENGTH = 3;

function base64Forms(text: string): string[] {
	const standard = Buffer.from(text, 'utf8').toString('base64');
	const urlSafe = Buffer.from(text, 'utf8').toString('base64url');
	return [standard, standard.replace(/=+$/, ''), urlSafe];
}

/** Every form of one secret that can reach a message, longest first. */
export function secretForms(secret: string): string[] {
	if (!secret || secret.length < MIN_SECRET_LENGTH) return [];
	const encoded = encodeURIComponent(secret);
	const forms = new Set<string>([
		secret,
		encoded,
		encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
		encoded.replace(/%20/g, '+'),
		encodeURI(secret),
		...base64Forms(secret),
	]);
	return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** The secrets of an HTTP Basic pair: the password itself and the encoded `user:password` header value. */
export function basicSecrets(user: string, password: string): string[] {
	if (!password) return [];
	return [password, ...base64Forms(`${user}:${password}`)];
}

/** A redactor built once per connection: every form of every secret, applied to text and to JSON-like values. */
export class Redactor {
	private readonly forms: string[];

	constructor(secrets: ReadonlyArray<string | undefined | null>, forms: readonly string[] = []) {
		const all = new Set<string>(forms);
		for (const secret of secrets) {
			if (typeof secret !== 'string') continue;
			for (const form of secretForms(secret)) all.add(form);
		}
		this.forms = [...all].sort((a, b) => b.length - a.length);
	}

	/** This redactor, also hiding `more` (secrets one call sends, such as a secured variable's value). */
	with(more: ReadonlyArray<string | undefined | null>): Redactor {
		return new Redactor(more, this.forms);
	}

	get empty(): boolean {
		return this.forms.length === 0;
	}

	text(text: string): string {
		let out = text;
		for (const form of this.forms) {
			if (out.includes(form)) out = out.split(form).join(REDACTED);
		}
		return out;
	}

	/** Deep copy of a JSON-like value with every string (keys included) redacted. */
	value<T>(value: T): T {
		if (this.forms.length === 0) return value;
		return this.walk(value) as T;
	}

	private walk(value: unknown): unknown {
		if (typeof value === 'string') return this.text(value);
		if (Array.isArray(value)) return value.map((v) => this.walk(v));
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[this.text(k)] = this.walk(v);
			return out;
		}
		return value;
	}
}

/** Replaces every form of every secret with `***` in a text. */
export function redactText(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
	return new Redactor(secrets).text(text);
}

/** Deep-redacts the strings of a JSON-like value. */
export function redactValue<T>(value: T, secrets: ReadonlyArray<string | undefined | null>): T {
	return new Redactor(secrets).value(value);
}
