/** Builds clients on the real fetch transport against the sandbox, with retry waits in milliseconds. */
import { authorizationHeader, secretsOf, type BitbucketAuth } from '../../nodes/shared/bitbucket/auth';
import { BitbucketClient, type ClientOptions } from '../../nodes/shared/bitbucket/client';
import { RequestLayer, type RetryEvent } from '../../nodes/shared/bitbucket/request';
import type { RetryOptions } from '../../nodes/shared/bitbucket/retry';
import { httpTransport, timerSleep } from '../../lib/http-transport';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../../dev/sandbox/server';

export const apiTokenAuth: BitbucketAuth = {
	type: 'apiToken',
	email: SANDBOX_CREDENTIALS.apiToken.email,
	apiToken: SANDBOX_CREDENTIALS.apiToken.token,
};

export const REPO = { workspace: SANDBOX_CREDENTIALS.workspace, repo: SANDBOX_CREDENTIALS.repo };

export const FAST_RETRY: Partial<RetryOptions> = {
	rateLimitDelayMs: 5,
	serverErrorDelayMs: 5,
	jitter: 0,
};

export interface TestClient {
	client: BitbucketClient;
	http: RequestLayer;
	/** Every retry the layer announced, with performance.now() when it did (the sandbox's clock, same process). */
	retries: Array<RetryEvent & { at: number }>;
}

export function testClient(
	sandbox: Sandbox,
	options: {
		auth?: BitbucketAuth;
		retry?: Partial<RetryOptions>;
		sleep?: (ms: number) => Promise<void>;
		now?: () => number;
		client?: ClientOptions;
		baseUrl?: string;
		/** Requests in flight at once (the layer's default when unset: 4). */
		concurrency?: number;
	} = {},
): TestClient {
	const auth = options.auth ?? apiTokenAuth;
	const retries: TestClient['retries'] = [];
	const http = new RequestLayer({
		baseUrl: options.baseUrl ?? sandbox.baseUrl,
		transport: httpTransport({ authorization: authorizationHeader(auth) }),
		retry: { ...FAST_RETRY, ...options.retry },
		secrets: secretsOf(auth),
		sleep: options.sleep ?? timerSleep,
		now: options.now,
		concurrency: options.concurrency,
		onRetry: (e) => retries.push({ ...e, at: performance.now() }),
	});
	return { client: new BitbucketClient(http, { mergePollIntervalMs: 5, ...options.client }), http, retries };
}
