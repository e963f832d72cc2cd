/**
 * The n8n side of the request layer: builds a BitbucketClient whose transport is n8n's
 * httpRequestWithAuthentication (which signs requests, applies proxies and refreshes OAuth2 tokens).
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../../shared/bitbucket/auth';
import { BitbucketClient, type ClientOptions } from '../../shared/bitbucket/client';
import { RequestLayer } from '../../shared/bitbucket/request';
import type { RetryOptions } from '../../shared/bitbucket/retry';
import { parseBody, type Transport, type TransportResponse } from '../../shared/bitbucket/transport';

export type BitbucketFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export type CredentialType = 'bitbucketCloudApi' | 'bitbucketCloudOAuth2Api';

export interface ConnectedClient {
	client: BitbucketClient;
	/** Workspace and repository named in the credential, used when the node's fields are empty. */
	defaults: { workspace: string; repository: string };
}

const SECRET_FIELDS = ['apiToken', 'accessToken', 'appPassword', 'clientSecret'];

function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const secrets: string[] = [];
	for (const field of SECRET_FIELDS) {
		const value = credentials[field];
		if (typeof value === 'string' && value.length >= 4) secrets.push(value);
	}
	const user = (credentials.email ?? credentials.username) as string | undefined;
	const secret = (credentials.apiToken ?? credentials.appPassword) as string | undefined;
	if (user && secret) secrets.push(Buffer.from(`${user}:${secret}`).toString('base64'));
	const token = credentials.oauthTokenData as IDataObject | undefined;
	for (const key of ['access_token', 'refresh_token']) {
		if (typeof token?.[key] === 'string') secrets.push(token[key] as string);
	}
	return secrets;
}

interface AxiosLikeError {
	cause?: { response?: { status?: number; headers?: Record<string, string>; data?: unknown }; code?: string; message?: string };
	message?: string;
}

/** n8n's helper throws on HTTP errors (which lets it refresh OAuth2 tokens on 401); we turn those back into responses. */
function n8nTransport(context: BitbucketFunctions, credentialType: CredentialType): Transport {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { Accept: request.text ? 'text/plain, */*' : 'application/json', ...request.headers },
			returnFullResponse: true,
			json: !request.text,
		};
		if (request.text) options.encoding = 'text';
		if (request.body !== undefined) options.body = request.body as IDataObject;
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentialType,
				options,
			)) as { statusCode: number; headers: TransportResponse['headers']; body: unknown };
			return {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: typeof response.body === 'string' ? parseBody(response.body, String(response.headers?.['content-type'] ?? ''), request.text) : response.body,
			};
		} catch (error) {
			const cause = (error as AxiosLikeError).cause;
			const status = cause?.response?.status;
			if (typeof status === 'number') {
				const data = cause?.response?.data;
				return {
					statusCode: status,
					headers: cause?.response?.headers ?? {},
					body: typeof data === 'string' ? parseBody(data, String(cause?.response?.headers?.['content-type'] ?? '')) : data,
				};
			}
			// No response: report the network cause only (never the request config, which holds headers).
			// The request layer turns it into a BitbucketNetworkError (and retries it when that is safe).
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw new Error(cause?.code ?? cause?.message ?? (error as AxiosLikeError).message ?? 'request failed');
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
	options: { retry?: Partial<RetryOptions>; client?: ClientOptions } = {},
): Promise<ConnectedClient> {
	const credentialType = credentialTypeOf(context);
	const credentials = await context.getCredentials(credentialType);
	const http = new RequestLayer({
		baseUrl: normalizeBaseUrl(credentials.baseUrl as string | undefined),
		transport: n8nTransport(context, credentialType),
		retry: options.retry,
		secrets: secretsOf(credentials),
		onRetry: (event) =>
			context.logger.warn(
				`Bitbucket ${event.reason === 'rateLimit' ? 'rate limit (429)' : event.status ? `HTTP ${event.status}` : 'connection error'} on ${event.method} ${event.url}: retry ${event.retry} in ${Math.round(event.waitMs / 1000)} s${event.retryAfter ? ' (Retry-After)' : ''}`,
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
