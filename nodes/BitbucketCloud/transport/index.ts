/**
 * The n8n side of the request layer: builds a BitbucketClient whose transport is n8n's
 * httpRequestWithAuthentication (which signs requests, applies proxies and refreshes OAuth2 tokens).
 */
import {
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type IPollFunctions,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import {
	authFromCredentialFields,
	authorizationHeader,
	normalizeBaseUrl,
	normalizeOAuthServer,
	secretsOf as authSecrets,
} from '../../shared/bitbucket/auth';
import { BitbucketClient, type ClientOptions } from '../../shared/bitbucket/client';
import { formatMs, RequestLayer } from '../../shared/bitbucket/request';
import type { RetryOptions } from '../../shared/bitbucket/retry';
import { parseBody, TransportNetworkError, type Transport, type TransportResponse } from '../../shared/bitbucket/transport';

/** Every n8n context that talks to Bitbucket: the action node, its lists, and the triggers' hooks and polls. */
export type BitbucketFunctions = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IPollFunctions;

export type CredentialType = 'bitbucketCloudApi' | 'bitbucketCloudOAuth2Api';

export interface ConnectedClient {
	client: BitbucketClient;
	/** Workspace and repository named in the credential, used when the node's fields are empty. */
	defaults: { workspace: string; repository: string };
}

/** Everything that must never show in an error: the credential's secrets and, for OAuth2, its tokens. */
function secretsOf(credentialType: CredentialType, credentials: ICredentialDataDecryptedObject): string[] {
	if (credentialType === 'bitbucketCloudApi') return authSecrets(authFromCredentialFields(credentials));
	const token = credentials.oauthTokenData as IDataObject | undefined;
	return [token?.access_token, token?.refresh_token, credentials.clientSecret].filter(
		(value): value is string => typeof value === 'string' && value.length >= 4,
	);
}

interface AxiosLikeError {
	cause?: {
		response?: { status?: number; headers?: Record<string, string>; data?: unknown };
		code?: string;
		message?: string;
		isAxiosError?: boolean;
		config?: { url?: string };
	};
	message?: string;
}

/** n8n hands text bodies over as strings: JSON ones (Bitbucket's errors, say) are parsed like the other transport. */
function bodyOf(data: unknown, headers: TransportResponse['headers'] | undefined, asText?: boolean): unknown {
	return typeof data === 'string' ? parseBody(data, String(headers?.['content-type'] ?? ''), asText) : data;
}

/** A request that got no answer at all (refused, dropped, timed out), as opposed to an error n8n raised itself. */
function isNetworkFailure(cause: AxiosLikeError['cause']): cause is NonNullable<AxiosLikeError['cause']> {
	if (!cause || cause.response) return false;
	if (cause.code === 'ERR_CANCELED') return false;
	return cause.isAxiosError === true || (typeof cause.code === 'string' && /^E[A-Z_]+$/.test(cause.code));
}

/** The failure in words, naming the endpoint when it was not the request's own (n8n refreshing an OAuth2 token). */
function networkReason(cause: NonNullable<AxiosLikeError['cause']>, requestUrl: string): string {
	const reason = cause.code ?? cause.message ?? 'request failed';
	let failed: URL | undefined;
	try {
		failed = cause.config?.url ? new URL(cause.config.url) : undefined;
	} catch {
		failed = undefined;
	}
	const endpoint = failed ? `${failed.origin}${failed.pathname}` : undefined;
	return endpoint && endpoint !== requestUrl.split('?')[0] ? `${reason} while calling ${endpoint}` : reason;
}

/**
 * n8n's helper throws on HTTP errors (which lets it refresh OAuth2 tokens on 401); we turn those back into
 * responses. Redirects are not followed here (n8n would send the credential to any origin): the request layer
 * follows same-origin ones and refuses the rest, exactly as for the script transport.
 *
 * With an API or access token the Authorization header is built once per execution (by the same function the
 * credential's `authenticate` uses) and sent through n8n's plain `httpRequest`: `httpRequestWithAuthentication`
 * loads and decrypts the credential from n8n's database on every request, about 5 ms each in a real n8n, which
 * was most of what a 100-page listing cost on top of Bitbucket's own time. OAuth2 keeps n8n's authenticated
 * helper, which refreshes the token.
 */
function n8nTransport(context: BitbucketFunctions, credentialType: CredentialType, authorization?: string): Transport {
	return async (request) => {
		const plain = request.text === true || request.stream === true;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { Accept: plain ? '*/*' : 'application/json', ...request.headers },
			returnFullResponse: true,
			json: !plain && request.raw === undefined,
			disableFollowRedirect: true,
		};
		if (request.text) options.encoding = 'text';
		// A file's content: n8n hands the response over as a stream, never read into memory here.
		if (request.stream) options.encoding = 'stream';
		if (request.body !== undefined) options.body = request.body as IDataObject;
		if (request.raw) {
			options.body = Buffer.from(request.raw.bytes);
			options.headers = { ...options.headers, 'Content-Type': request.raw.contentType };
		}
		try {
			const response = (
				authorization === undefined
					? await context.helpers.httpRequestWithAuthentication.call(context, credentialType, options)
					: await context.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: authorization } })
			) as { statusCode: number; headers: TransportResponse['headers']; body: unknown };
			return {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: bodyOf(response.body, response.headers, request.text),
			};
		} catch (error) {
			// `httpRequest` throws the HTTP client's error itself; `httpRequestWithAuthentication` wraps it in a
			// NodeApiError whose cause it is.
			const thrown = error as NonNullable<AxiosLikeError['cause']> & { cause?: AxiosLikeError['cause'] };
			const cause = thrown?.response || thrown?.isAxiosError ? thrown : thrown?.cause;
			const status = cause?.response?.status;
			if (typeof status === 'number') {
				const headers = cause?.response?.headers ?? {};
				return { statusCode: status, headers, body: bodyOf(cause?.response?.data, headers, request.text) };
			}
			// No response: report the network cause only (never the request config, which holds headers).
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- caught by the request layer, which decides on a retry
			if (isNetworkFailure(cause)) throw new TransportNetworkError(networkReason(cause, request.url), cause.code);
			// n8n's own error (an OAuth2 credential to reconnect, a cancelled execution): shown as n8n words it,
			// unwrapped from the NodeApiError the helper puts around everything.
			throw (error as { cause?: unknown }).cause instanceof NodeOperationError ? (error as { cause: NodeOperationError }).cause : error;
		}
	};
}

function credentialTypeOf(context: BitbucketFunctions): CredentialType {
	const value =
		'getInputData' in context
			? context.getNodeParameter('authentication', 0, 'bitbucketCloudApi')
			: context.getNodeParameter('authentication', 'bitbucketCloudApi');
	return value === 'bitbucketCloudOAuth2Api' ? 'bitbucketCloudOAuth2Api' : 'bitbucketCloudApi';
}

export async function connect(
	context: BitbucketFunctions,
	options: { retry?: Partial<RetryOptions>; client?: ClientOptions; concurrency?: number } = {},
): Promise<ConnectedClient> {
	const credentialType = credentialTypeOf(context);
	const credentials = await context.getCredentials(credentialType);
	// Check the credential's fields before any item runs, so an empty token is reported once, naming the field.
	const authorization = credentialType === 'bitbucketCloudApi' ? authorizationHeader(authFromCredentialFields(credentials)) : undefined;
	if (credentialType === 'bitbucketCloudOAuth2Api') normalizeOAuthServer(credentials.oauthServer as string | undefined);
	const http = new RequestLayer({
		baseUrl: normalizeBaseUrl(credentials.baseUrl as string | undefined),
		transport: n8nTransport(context, credentialType, authorization),
		retry: options.retry,
		concurrency: options.concurrency,
		secrets: secretsOf(credentialType, credentials),
		sleep,
		onRetry: (event) =>
			context.logger.warn(
				`Bitbucket ${event.reason === 'rateLimit' ? 'rate limit (429)' : event.status ? `HTTP ${event.status}` : 'connection error'} on ${event.method} ${event.url}: retry ${event.retry} in ${formatMs(event.waitMs)}${event.retryAfter ? ' (Retry-After)' : ''}${event.reason === 'rateLimit' ? ', every request of this run waits with it' : ''}`,
			),
	});
	return {
		client: new BitbucketClient(http, options.client),
		defaults: {
			workspace: typeof credentials.workspace === 'string' ? credentials.workspace.trim() : '',
			repository: typeof credentials.repository === 'string' ? credentials.repository.trim() : '',
		},
	};
}
