/**
 * Bitbucket's webhook signature: with a secret set on the webhook, every delivery carries
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the exact raw body, keyed with the secret>`.
 * The check runs over the bytes as received (never a re-serialised body) and compares in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'no secret stored' | 'no signature header' | 'malformed signature header' | 'signature mismatch' };

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** A fresh webhook secret: 32 random bytes, hex. */
export function newWebhookSecret(): string {
	return randomBytes(32).toString('hex');
}

/** The header value Bitbucket would send for this body. */
export function signatureFor(rawBody: Buffer | string, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function verifyWebhookSignature(
	rawBody: Buffer | string | undefined,
	header: string | string[] | undefined,
	secret: string | undefined,
): SignatureCheck {
	if (!secret) return { ok: false, reason: 'no secret stored' };
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === '') return { ok: false, reason: 'no signature header' };
	const match = HEADER.exec(value.trim());
	if (!match) return { ok: false, reason: 'malformed signature header' };
	const expected = createHmac('sha256', secret)
		.update(rawBody ?? '')
		.digest();
	const given = Buffer.from(match[1], 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
