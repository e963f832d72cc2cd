/**
 * Webhooks without n8n: the signature check, the redelivery memory, Simplify, and the sandbox delivering as
 * Bitbucket does (headers, signature, resends after a 5xx or a timeout, tampering, a redelivery by hand) to a
 * loopback receiver.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { checkAndRecord, normalizeUuid } from '../../nodes/BitbucketCloudTrigger/deliveries';
import { simplifyEvent } from '../../nodes/BitbucketCloudTrigger/simplify';
import { newWebhookSecret, signatureFor, verifyWebhookSignature } from '../../nodes/shared/bitbucket/webhookSignature';
import { REPO, testClient } from '../helpers/bitbucket';
import { startSandbox, type Sandbox } from '../../dev/sandbox/server';

describe('the signature check', () => {
	const secret = 'a-secret-of-the-webhook';
	const body = Buffer.from('{"actor":{"display_name":"Ada"},"pullrequest":{"id":7}}');
	const hex = createHmac('sha256', secret).update(body).digest('hex');

	it.each([
		['the right signature', `sha256=${hex}`, true],
		['uppercase hex', `sha256=${hex.toUpperCase()}`, true],
		['surrounding spaces', ` sha256=${hex} `, true],
		['a wrong signature', `sha256=${'0'.repeat(64)}`, false],
		['one character short (length mismatch)', `sha256=${hex.slice(1)}`, false],
		['one character long', `sha256=${hex}0`, false],
		['sha1=', `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`, false],
		['no prefix', hex, false],
		['not hex', `sha256=${'z'.repeat(64)}`, false],
		['an empty header', '', false],
	])('%s', (_what, header, ok) => {
		expect(verifyWebhookSignature(body, header, secret).ok).toBe(ok);
	});

	it('says why it refused', () => {
		expect(verifyWebhookSignature(body, `sha256=${hex}`, undefined)).toEqual({ ok: false, reason: 'no secret stored' });
		expect(verifyWebhookSignature(body, undefined, secret)).toEqual({ ok: false, reason: 'no signature header' });
		expect(verifyWebhookSignature(body, 'sha1=abc', secret)).toEqual({ ok: false, reason: 'malformed signature header' });
		expect(verifyWebhookSignature(body, `sha256=${'0'.repeat(64)}`, secret)).toEqual({ ok: false, reason: 'signature mismatch' });
	});

	it('checks the exact bytes: a re-serialised body or one changed byte fails', () => {
		const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
		expect(verifyWebhookSignature(reformatted, `sha256=${hex}`, secret).ok).toBe(false);
		expect(verifyWebhookSignature(Buffer.from(body.toString().replace('7', '8')), `sha256=${hex}`, secret).ok).toBe(false);
	});

	it('an empty body is signed and checked like any other', () => {
		expect(verifyWebhookSignature(Buffer.alloc(0), signatureFor('', secret), secret).ok).toBe(true);
		expect(verifyWebhookSignature(undefined, signatureFor('', secret), secret).ok).toBe(true);
		expect(verifyWebhookSignature(Buffer.alloc(0), `sha256=${hex}`, secret).ok).toBe(false);
	});

	it('new secrets are 32 random bytes', () => {
		const a = newWebhookSecret();
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(newWebhookSecret()).not.toBe(a);
	});
});

describe('the redelivery memory', () => {
	it('recognises a request UUID with or without braces, in any case, in memory or in the stored list', () => {
		const uuid = '6f4f2b7e-0f6a-4f7c-9d2e-1a2b3c4d5e6f';
		expect(normalizeUuid(`{${uuid.toUpperCase()}}`)).toBe(uuid);
		const now = Date.now();
		const first = checkAndRecord('wf:Trigger', normalizeUuid(`{${uuid}}`), undefined, now);
		expect(first.duplicate).toBe(false);
		expect(checkAndRecord('wf:Trigger', normalizeUuid(uuid.toUpperCase()), first.stored, now + 10).duplicate).toBe(true);
		// Another process (empty memory) still knows it from the stored list.
		expect(checkAndRecord('wf:Other', uuid, first.stored, now + 20).duplicate).toBe(true);
		// Past the window it counts as new.
		expect(checkAndRecord('wf:Third', uuid, first.stored, now + 25 * 3_600_000).duplicate).toBe(false);
	});

	it('keeps the stored list bounded', () => {
		let stored: Record<string, number> | undefined;
		for (let i = 0; i < 700; i++) stored = checkAndRecord('wf:Bounded', `uuid-${i}`, stored, 1_000 + i).stored;
		expect(Object.keys(stored!)).toHaveLength(500);
		expect(stored!['uuid-699']).toBeDefined();
		expect(stored!['uuid-0']).toBeUndefined();
	});
});

describe('Simplify', () => {
	it('flattens a pull request event', () => {
		const item = simplifyEvent('pullrequest:fulfilled', {
			actor: { display_name: 'Ada', account_id: '557058:1' },
			repository: { full_name: 'team/repo' },
			pullrequest: { id: 7, title: 'Export', state: 'MERGED', source: { branch: { name: 'feat/x' } }, destination: { branch: { name: 'main' } }, links: { html: { href: 'https://bitbucket.org/team/repo/pull-requests/7' } } },
		});
		expect(item).toEqual({
			event: 'pullrequest:fulfilled',
			actor: 'Ada',
			actorAccountId: '557058:1',
			repository: 'team/repo',
			pullRequestId: 7,
			title: 'Export',
			state: 'MERGED',
			sourceBranch: 'feat/x',
			destinationBranch: 'main',
			url: 'https://bitbucket.org/team/repo/pull-requests/7',
		});
	});
});

describe('the sandbox delivers webhooks as Bitbucket does', () => {
	let sandbox: Sandbox;
	let receiver: Server;
	let receiverUrl = '';
	let answer: (req: IncomingMessage) => number = () => 200;
	const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

	beforeAll(async () => {
		sandbox = await startSandbox();
		receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.statusCode = answer(req);
				res.end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await sandbox.close();
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(() => {
		sandbox.reset();
		received.length = 0;
		answer = () => 200;
	});

	async function hookAndCreatePr(secret?: string): Promise<number> {
		const { client } = testClient(sandbox);
		await client.createWebhook({ workspace: REPO.workspace, repo: REPO.repo }, { url: receiverUrl, events: ['pullrequest:created'], secret });
		const pr = await client.createPullRequest(REPO, { title: 'Webhook me', sourceBranch: 'feat/user-export', destinationBranch: 'develop' });
		await sandbox.webhooks.idle();
		return pr.id;
	}

	it('sends the payload with the event headers and an HMAC-SHA256 signature of the raw body', async () => {
		const secret = newWebhookSecret();
		const id = await hookAndCreatePr(secret);
		expect(received).toHaveLength(1);
		const { headers, body } = received[0];
		expect(headers).toMatchObject({ 'x-event-key': 'pullrequest:created', 'x-attempt-number': '1', 'user-agent': 'Bitbucket-Webhooks/2.0' });
		expect(headers['x-request-uuid']).toMatch(/^[0-9a-f-]{36}$/);
		expect(headers['x-hook-uuid']).toMatch(/^[0-9a-f-]{36}$/);
		expect(verifyWebhookSignature(body, headers['x-hub-signature'], secret).ok).toBe(true);
		const payload = JSON.parse(body) as { pullrequest: { id: number }; actor: object; repository: { full_name: string } };
		expect(payload.pullrequest.id).toBe(id);
		expect(payload.repository.full_name).toBe('technocore_axion/axion');
	});

	it('no secret, no signature header', async () => {
		await hookAndCreatePr();
		expect(received[0].headers['x-hub-signature']).toBeUndefined();
	});

	it('resends after a 5xx, at most twice more, with the same request UUID', async () => {
		answer = () => 503;
		await hookAndCreatePr(newWebhookSecret());
		expect(received.map((r) => r.headers['x-attempt-number'])).toEqual(['1', '2', '3']);
		expect(new Set(received.map((r) => r.headers['x-request-uuid'])).size).toBe(1);
	});

	it('does not resend after a 4xx (the receiver refused it)', async () => {
		answer = () => 401;
		await hookAndCreatePr(newWebhookSecret());
		expect(received).toHaveLength(1);
	});

	it('tampers on request: a wrong signature, a body changed after signing, no signature', async () => {
		const secret = newWebhookSecret();
		sandbox.webhooks.tamperNext('wrongSignature', 1, receiverUrl);
		sandbox.webhooks.tamperNext('bodyChangedAfterSigning', 1, receiverUrl);
		sandbox.webhooks.tamperNext('noSignature', 1, receiverUrl);
		answer = () => 401;
		await hookAndCreatePr(secret);
		const uuid = String(received[0].headers['x-request-uuid']);
		await sandbox.webhooks.redeliver(uuid);
		await sandbox.webhooks.redeliver(uuid);
		expect(received.map((r) => verifyWebhookSignature(r.body, r.headers['x-hub-signature'], secret))).toEqual([
			{ ok: false, reason: 'signature mismatch' },
			{ ok: false, reason: 'signature mismatch' },
			{ ok: false, reason: 'no signature header' },
		]);
		// The tampered body is a different body, signed as the original.
		expect(received[1].body).not.toBe(received[0].body);
		expect(verifyWebhookSignature(received[0].body, received[1].headers['x-hub-signature'], secret).ok).toBe(true);
	});

	it('redelivers by hand with the same request UUID and the next attempt number', async () => {
		await hookAndCreatePr(newWebhookSecret());
		await sandbox.webhooks.redeliver(String(received[0].headers['x-request-uuid']));
		expect(received.map((r) => r.headers['x-attempt-number'])).toEqual(['1', '2']);
		expect(received[1].body).toBe(received[0].body);
		expect(received[1].headers['x-hub-signature']).toBe(received[0].headers['x-hub-signature']);
	});
});
