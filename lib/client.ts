/**
 * The client for scripts and the CLI: the node's BitbucketClient plus `withAuth`, which signs requests itself
 * (the same Authorization rules as the credential) over Node's http(s) with keep-alive.
 */
import { authorizationHeader, normalizeBaseUrl, secretsOf, type BitbucketAuth } from '../nodes/shared/bitbucket/auth';
import { BitbucketClient as CoreClient, type ClientOptions } from '../nodes/shared/bitbucket/client';
import { RequestLayer, type RequestLayerOptions } from '../nodes/shared/bitbucket/request';
import type { RetryOptions } from '../nodes/shared/bitbucket/retry';
import { httpTransport, timerSleep } from './http-transport';

export interface WithAuthOptions extends ClientOptions {
	/** API root; default https://api.bitbucket.org/2.0 (https, or http on loopback only). */
	baseUrl?: string;
	retry?: Partial<RetryOptions>;
	onRetry?: RequestLayerOptions['onRetry'];
	/** Per-request timeout, default 60 s. */
	timeoutMs?: number;
}

export class BitbucketClient extends CoreClient {
	/** A client that signs its own requests: `BitbucketClient.withAuth({ type: 'apiToken', email, apiToken })`. */
	static withAuth(auth: BitbucketAuth, options: WithAuthOptions = {}): BitbucketClient {
		const authorization = authorizationHeader(auth);
		const http = new RequestLayer({
			baseUrl: normalizeBaseUrl(options.baseUrl),
			transport: httpTransport({ authorization, timeoutMs: options.timeoutMs }),
			retry: options.retry,
			secrets: [...secretsOf(auth), authorization],
			onRetry: options.onRetry,
			sleep: timerSleep,
		});
		return new BitbucketClient(http, options);
	}
}
