/**
 * Webhook deliveries as Bitbucket Cloud makes them (support.atlassian.com: "Event payloads", "Troubleshoot
 * webhooks"): after an API change, a POST of the JSON payload to every active hook subscribed to the event, on the
 * repository and on its workspace, with
 *   X-Event-Key, X-Hook-UUID, X-Request-UUID, X-Attempt-Number, User-Agent: Bitbucket-Webhooks/2.0,
 *   and, when the hook has a secret, X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>.
 * A delivery answered with a 5xx, or not answered within the timeout (10 s), is sent again at most twice more,
 * with the same X-Request-UUID and the next X-Attempt-Number. Payloads over 256 KB are not sent.
 *
 * For tests: every attempt is recorded; the next deliveries can be tampered with (no signature, a wrong one, a body
 * changed after signing); any delivery can be sent again as a redelivery; `idle()` waits for all in flight.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { HookEvent } from './events';
import type { HookRecord } from './model';

export const MAX_PAYLOAD_BYTES = 256 * 1024;

export type Tamper = 'noSignature' | 'wrongSignature' | 'bodyChangedAfterSigning';

export interface DeliveryAttempt {
	requestUuid: string;
	hookUuid: string;
	event: string;
	url: string;
	attempt: number;
	/** The receiver's status; 0 when it did not answer in time or the connection failed. */
	status: number;
	tampered?: Tamper;
	/** Milliseconds from sending to the answer. */
	ms: number;
}

interface Delivery {
	requestUuid: string;
	hook: HookRecord;
	event: string;
	body: string;
}

export interface WebhookOptions {
	/** How long a receiver may take to answer before the attempt counts as failed (Bitbucket: 10 s). */
	timeoutMs?: number;
	/** Pause before a resend (Bitbucket waits a while; tests need no wait). */
	retryDelayMs?: number;
}

function bareUuid(uuid: string): string {
	return uuid.replace(/^\{|\}$/g, '');
}

export class WebhookDispatcher {
	readonly attempts: DeliveryAttempt[] = [];

	private readonly deliveries = new Map<string, Delivery>();

	private readonly tampers: Array<{ tamper: Tamper; urlPrefix?: string }> = [];

	private readonly inFlight = new Set<Promise<void>>();

	private timeoutMs: number;

	private retryDelayMs: number;

	constructor(options: WebhookOptions = {}) {
		this.timeoutMs = options.timeoutMs ?? 10_000;
		this.retryDelayMs = options.retryDelayMs ?? 50;
	}

	configure(options: WebhookOptions): void {
		if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
		if (options.retryDelayMs !== undefined) this.retryDelayMs = options.retryDelayMs;
	}

	/** The next `times` deliveries (to URLs starting with `urlPrefix`, when given) are tampered with this way. */
	tamperNext(tamper: Tamper, times = 1, urlPrefix?: string): void {
		for (let i = 0; i < times; i++) this.tampers.push({ tamper, urlPrefix });
	}

	private takeTamper(url: string): Tamper | undefined {
		const index = this.tampers.findIndex((t) => t.urlPrefix === undefined || url.startsWith(t.urlPrefix));
		return index < 0 ? undefined : this.tampers.splice(index, 1)[0].tamper;
	}

	/** The hooks (repository, then workspace) that receive an event. */
	hooksFor(event: HookEvent): HookRecord[] {
		const hooks = [...event.repo.hooks, ...event.repo.workspace.hooks];
		return hooks.filter((h) => h.active && h.events.includes(event.key));
	}

	/** Delivers events asynchronously (the API answer does not wait for them), as Bitbucket does. */
	dispatch(events: readonly HookEvent[]): void {
		for (const event of events) {
			for (const hook of this.hooksFor(event)) {
				const body = JSON.stringify(event.payload);
				if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) continue;
				const delivery: Delivery = { requestUuid: `{${randomUUID()}}`, hook, event: event.key, body };
				this.deliveries.set(bareUuid(delivery.requestUuid), delivery);
				this.track(this.send(delivery, 1, true));
			}
		}
	}

	/** Sends a recorded delivery again, as Bitbucket's "Resend request": same X-Request-UUID, next attempt number. */
	redeliver(requestUuid: string): Promise<void> {
		const delivery = this.deliveries.get(bareUuid(requestUuid));
		if (!delivery) return Promise.reject(new Error(`No delivery ${requestUuid}`));
		const attempt = Math.max(...this.attempts.filter((a) => a.requestUuid === delivery.requestUuid).map((a) => a.attempt), 0) + 1;
		return this.track(this.send(delivery, attempt, false));
	}

	/** Resolves when no delivery is in flight (resends included). */
	async idle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	clear(): void {
		this.attempts.length = 0;
		this.deliveries.clear();
		this.tampers.length = 0;
	}

	private track(promise: Promise<void>): Promise<void> {
		this.inFlight.add(promise);
		return promise.finally(() => this.inFlight.delete(promise));
	}

	private async send(delivery: Delivery, attempt: number, resendOnFailure: boolean): Promise<void> {
		for (let n = attempt; ; n++) {
			const status = await this.post(delivery, n);
			const failed = status === 0 || status >= 500;
			if (!failed || !resendOnFailure || n >= attempt + 2) return;
			await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
		}
	}

	private post(delivery: Delivery, attempt: number): Promise<number> {
		const { hook } = delivery;
		const tamper = this.takeTamper(hook.url);
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'user-agent': 'Bitbucket-Webhooks/2.0',
			'x-event-key': delivery.event,
			'x-hook-uuid': bareUuid(hook.uuid),
			'x-request-uuid': bareUuid(delivery.requestUuid),
			'x-attempt-number': String(attempt),
		};
		let body = delivery.body;
		if (hook.secret && tamper !== 'noSignature') {
			const digest = createHmac('sha256', tamper === 'wrongSignature' ? `${hook.secret}-wrong` : hook.secret).update(body).digest('hex');
			headers['x-hub-signature'] = `sha256=${digest}`;
		}
		if (tamper === 'bodyChangedAfterSigning') body = body.replace(/"/, '"tampered":true,"');
		headers['content-length'] = String(Buffer.byteLength(body));
		const url = new URL(hook.url);
		const started = Date.now();
		const record = (status: number) => {
			this.attempts.push({
				requestUuid: delivery.requestUuid,
				hookUuid: hook.uuid,
				event: delivery.event,
				url: hook.url,
				attempt,
				status,
				...(tamper ? { tampered: tamper } : {}),
				ms: Date.now() - started,
			});
			return status;
		};
		return new Promise((resolve) => {
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			const req = send(url, { method: 'POST', headers, timeout: this.timeoutMs }, (res) => {
				res.resume();
				res.on('end', () => resolve(record(res.statusCode ?? 0)));
				res.on('error', () => resolve(record(0)));
			});
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', () => resolve(record(0)));
			req.end(body);
		});
	}
}
