/**
 * A loopback HTTP server that behaves like Bitbucket Cloud REST API 2.0 (as of late 2026) for the endpoints this
 * project uses: seeded data, real envelopes and error shapes, opaque `next` links, page-size limits, auth kinds,
 * fault injection (429 / 5xx / dropped connections, optionally after processing) and a request log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate } from './auth';
import { API_PREFIX, handleApiRequest, parseBody, parseForm, type ApiResponse } from './api';
import { handleAsyncControl, handleControl, type ControlTarget } from './control';
import { FaultQueue, faultResponse } from './faults';
import { WebhookDispatcher } from './webhooks';
import { completePipeline, pushCommits, touchPullRequests } from './changes';
import { SANDBOX_CREDENTIALS } from './credentials';
import { Links } from './links';
import type { CommitRecord, PipelineResult, SandboxState } from './model';
import { QueryParams } from './query';
import { prewarm } from './prewarm';
import { createSeedState } from './seed';
import type { FaultSpec, RateLimitSpec, RecordedRequest, RequestFilter, Sandbox, SandboxOptions, TrafficStats } from './types';

export { SANDBOX_CREDENTIALS } from './credentials';
export { DEFAULT_SEED } from './seed';
export type { SandboxState } from './model';
export type { AuthKind, FaultSpec, RateLimitSpec, RecordedRequest, RequestFilter, Sandbox, SandboxOptions, SeedOptions, TrafficStats } from './types';

const CONTROL_PREFIX = '/_sandbox';

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function headerRecord(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
	const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
	res.end(payload);
}

/**
 * Resolves when `deadline` (a performance.now() time) is reached: a timer for most of the wait, then
 * setImmediate turns for the last millisecond, since Node timers overshoot by about 1 ms.
 */
async function sleepUntil(deadline: number): Promise<void> {
	const coarse = deadline - performance.now() - 1.5;
	if (coarse > 0) await new Promise((resolve) => setTimeout(resolve, coarse));
	while (performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
}

class BitbucketSandbox implements Sandbox, ControlTarget {
	readonly requests: RecordedRequest[] = [];
	private currentState: SandboxState;
	private readonly faults = new FaultQueue();
	readonly webhooks = new WebhookDispatcher();
	private latencyMs: number;
	private appPasswordsEnabled: boolean;
	private originValue = '';
	private rateLimit: RateLimitSpec | undefined;
	private rateLimitCount = 0;
	private inFlight = 0;
	readonly traffic: TrafficStats = { connections: 0, maxInFlight: 0, rateLimited: 0 };
	onRequest?: (request: RecordedRequest, index: number) => number | void;

	constructor(
		private readonly options: SandboxOptions,
		private readonly server: Server,
	) {
		this.currentState = createSeedState(options.seed);
		this.latencyMs = options.latencyMs ?? 0;
		this.appPasswordsEnabled = options.appPasswordsEnabled ?? false;
	}

	get origin(): string {
		return this.originValue;
	}

	get baseUrl(): string {
		return `${this.originValue}${API_PREFIX}`;
	}

	get state(): SandboxState {
		return this.currentState;
	}

	get pendingFaults(): number {
		return this.faults.pending;
	}

	setOrigin(origin: string): void {
		this.originValue = origin;
		prewarm(this.currentState, Links.for(origin));
	}

	requestCount(filter: RequestFilter = {}): number {
		const method = filter.method?.toUpperCase();
		return this.requests.filter((r) => {
			if (method && r.method !== method) return false;
			if (filter.pathPattern) {
				filter.pathPattern.lastIndex = 0;
				if (!filter.pathPattern.test(r.path)) return false;
			}
			return true;
		}).length;
	}

	clearRequests(): void {
		this.requests.length = 0;
		Object.assign(this.traffic, { connections: 0, maxInFlight: 0, rateLimited: 0 });
	}

	/** Counts a new TCP connection (the server's 'connection' event). */
	connected(): void {
		this.traffic.connections++;
	}

	setRateLimit(spec: RateLimitSpec | undefined): void {
		for (const [name, value] of Object.entries(spec ?? {})) {
			if (value !== undefined && (!Number.isInteger(value) || value < (name === 'every' ? 1 : 0))) throw new Error(`${name} must be a whole number${name === 'every' ? ' of at least 1' : ''}, got ${String(value)}`);
		}
		this.rateLimit = spec;
		this.rateLimitCount = 0;
	}

	inject(fault: FaultSpec, times = 1): void {
		this.faults.add(fault, times);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	setLatency(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number, got ${ms}`);
		this.latencyMs = ms;
	}

	setAppPasswordsEnabled(on: boolean): void {
		this.appPasswordsEnabled = on;
	}

	touchPullRequests(ids: number[], options: { at?: string; title?: string; workspace?: string; repo?: string } = {}): string {
		const { updatedOn, events } = touchPullRequests(this.currentState, this.originValue, { ...this.target(options), ids, at: options.at, title: options.title });
		this.webhooks.dispatch(events);
		return updatedOn;
	}

	pushCommits(branch: string, count: number, options: { workspace?: string; repo?: string; message?: string } = {}): CommitRecord[] {
		const { commits, events } = pushCommits(this.currentState, this.originValue, { ...this.target(options), branch, count, message: options.message });
		this.webhooks.dispatch(events);
		return commits;
	}

	completePipeline(buildNumber: number, result: PipelineResult, options: { workspace?: string; repo?: string } = {}): void {
		this.webhooks.dispatch(completePipeline(this.currentState, this.originValue, { ...this.target(options), buildNumber, result }));
	}

	private target(options: { workspace?: string; repo?: string }): { workspace: string; repo: string } {
		return { workspace: options.workspace ?? SANDBOX_CREDENTIALS.workspace, repo: options.repo ?? SANDBOX_CREDENTIALS.repo };
	}

	reset(): void {
		this.currentState = createSeedState(this.options.seed);
		prewarm(this.currentState, Links.for(this.originValue));
		this.clearRequests();
		this.clearFaults();
		this.webhooks.clear();
		this.latencyMs = this.options.latencyMs ?? 0;
		this.appPasswordsEnabled = this.options.appPasswordsEnabled ?? false;
		this.setRateLimit(undefined);
		this.onRequest = undefined;
	}

	close(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.close((error) => (error ? reject(error) : resolve()));
			this.server.closeAllConnections();
		});
	}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		// Simulated latency counts from the request's arrival, like a response time measured by a client.
		const arrived = performance.now();
		const rawUrl = req.url ?? '/';
		const queryStart = rawUrl.indexOf('?');
		const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
		const search = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);
		const method = (req.method ?? 'GET').toUpperCase();
		const rawBytes = await readBody(req);
		const rawBody = rawBytes.toString('utf8');
		const headers = headerRecord(req);

		if (rawPath === CONTROL_PREFIX || rawPath.startsWith(`${CONTROL_PREFIX}/`)) {
			const { body } = parseBody(rawBody, headers['content-type'] ?? 'application/json');
			const result = (await handleAsyncControl(this, method, rawPath, body)) ?? handleControl(this, method, rawPath, body);
			send(res, result.status, result.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }, result.body === undefined ? '' : JSON.stringify(result.body));
			return;
		}
		if (rawPath.startsWith('/site/oauth2/')) {
			const answer = this.currentState.oauth2.handle(method, rawPath, search, headers, rawBody);
			send(res, answer.status, answer.headers, answer.body);
			return;
		}
		if (rawPath !== API_PREFIX && !rawPath.startsWith(`${API_PREFIX}/`)) {
			send(res, 404, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ type: 'error', error: { message: 'Not found: the API lives under /2.0' } }));
			return;
		}
		this.inFlight++;
		this.traffic.maxInFlight = Math.max(this.traffic.maxInFlight, this.inFlight);
		try {
			await this.handleApi(req, res, { method, rawPath, search, rawBody, rawBytes, headers, arrived });
		} finally {
			this.inFlight--;
		}
	}

	/** The steady rate limit's verdict for one more API request: a 429, and whether to say NearLimit. */
	private rateLimitFor(): { limited: boolean; nearLimit: boolean } {
		if (!this.rateLimit) return { limited: false, nearLimit: false };
		this.rateLimitCount++;
		const { every, nearLimitAfter } = this.rateLimit;
		return {
			limited: every !== undefined && this.rateLimitCount % every === 0,
			nearLimit: nearLimitAfter !== undefined && this.rateLimitCount > nearLimitAfter,
		};
	}

	private async handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		input: { method: string; rawPath: string; search: string; rawBody: string; rawBytes: Buffer; headers: Record<string, string>; arrived: number },
	): Promise<void> {
		const query = new QueryParams(input.search);
		const parsed = parseBody(input.rawBody, input.headers['content-type']);
		const record: RecordedRequest = {
			method: input.method,
			path: input.rawPath,
			query: query.toRecord(),
			headers: input.headers,
			body: parsed.body,
			rawBody: input.rawBody,
			authKind: 'none',
			status: 0,
			arrivedAt: input.arrived,
			answeredAt: 0,
		};
		this.requests.push(record);
		const extraDelay = this.onRequest?.(record, this.requests.length - 1);
		const limit = this.rateLimitFor();
		const fault = limit.limited ? { status: 429 } : this.faults.take(input.method, input.rawPath);
		const form = await parseForm(input.rawBytes, input.headers['content-type']);
		if (limit.limited) this.traffic.rateLimited++;
		const processFirst = fault !== undefined && fault.afterProcessing === true && (fault.drop === true || fault.status >= 500);
		let response: ApiResponse | undefined;
		if (!fault || processFirst) {
			response = handleApiRequest(
				{
					method: input.method,
					rawPath: input.rawPath,
					query,
					headers: input.headers,
					rawBody: input.rawBody,
					rawBytes: input.rawBytes,
					form,
					body: parsed.body,
					bodyIsMalformedJson: parsed.malformed,
				},
				{ state: this.currentState, origin: this.originValue, appPasswordsEnabled: this.appPasswordsEnabled },
			);
			record.authKind = response.authKind;
			// The change happened (even when a fault then loses the answer): Bitbucket delivers its webhooks.
			if (response.events?.length) this.webhooks.dispatch(response.events);
		} else {
			record.authKind = authenticate(this.currentState, input.headers['authorization'], this.appPasswordsEnabled).kind;
		}
		const delay = this.latencyMs + (typeof extraDelay === 'number' ? extraDelay : 0);
		if (delay > 0) await sleepUntil(input.arrived + delay);
		record.answeredAt = performance.now();
		if (fault) {
			if (fault.drop) {
				record.status = 0;
				req.socket.destroy();
				return;
			}
			const faulted = faultResponse(fault);
			record.status = faulted.status;
			send(res, faulted.status, limit.nearLimit ? { ...faulted.headers, 'x-ratelimit-nearlimit': 'true' } : faulted.headers, faulted.body);
			return;
		}
		if (!response) throw new Error('unreachable: no response');
		record.status = response.status;
		send(res, response.status, limit.nearLimit ? { ...response.headers, 'x-ratelimit-nearlimit': 'true' } : response.headers, response.body);
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const server = createServer((req, res) => {
		sandbox.handle(req, res).catch((error: unknown) => {
			process.stderr.write(`[bitbucket-sandbox] ${String(error)}\n`);
			if (!res.headersSent) send(res, 500, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ type: 'error', error: { message: 'Sandbox failure' } }));
			else res.destroy();
		});
	});
	server.keepAliveTimeout = 5_000;
	const sandbox = new BitbucketSandbox(options, server);
	server.on('connection', () => sandbox.connected());
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const hostForUrl = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : address.address;
	sandbox.setOrigin(`http://${hostForUrl}:${address.port}`);
	return sandbox;
}
