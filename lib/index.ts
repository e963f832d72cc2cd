/**
 * The package entry for scripts: the Bitbucket client (`BitbucketClient.withAuth`), its errors and types, and the
 * def_integration_sync store (`sync`). n8n itself loads the nodes and credentials listed in package.json.
 */
export { BitbucketClient, type WithAuthOptions } from './client';
export { httpTransport, type HttpTransportOptions } from './http-transport';
export {
	BUILD_STATES,
	ISSUE_KINDS,
	ISSUE_PRIORITIES,
	MERGE_STRATEGIES,
	PAGE_SIZE,
	PIPELINE_STATUSES,
	PULL_REQUEST_STATES,
	type BuildStatusInput,
	type ClientOptions,
	type CommitFilesInput,
	type FileContent,
	type FileToCommit,
	type CommitListOptions,
	type CreateIssueInput,
	type CreatePullRequestInput,
	type CreateRepositoryInput,
	type HookEventType,
	type ListOptions,
	type MergeInput,
	type MergeWait,
	type PageResult,
	type PipelineFilters,
	type PipelineListOptions,
	type PipelineStatus,
	type PullRequestListOptions,
	type RepositoryRole,
	type UpdatePullRequestInput,
	type VariableInput,
	type VariableScope,
	type WebhookInput,
	type WebhookScope,
} from '../nodes/shared/bitbucket/client';
export { DEFAULT_BASE_URL, BitbucketConfigError, type BitbucketAuth, type BitbucketAuthType } from '../nodes/shared/bitbucket/auth';
export {
	BitbucketApiError,
	BitbucketError,
	BitbucketInputError,
	BitbucketLinkError,
	BitbucketNetworkError,
	BitbucketPaginationError,
	BitbucketTimeoutError,
	type FieldErrors,
} from '../nodes/shared/bitbucket/errors';
export { RequestLayer, type ApiResponse, type Query, type RequestLayerOptions, type RetryEvent } from '../nodes/shared/bitbucket/request';
export { DEFAULT_RETRY, type RetryOptions } from '../nodes/shared/bitbucket/retry';
export { TransportNetworkError, type HttpMethod, type Transport, type TransportRequest, type TransportResponse } from '../nodes/shared/bitbucket/transport';
export type { RepoRef } from '../nodes/shared/bitbucket/paths';
export { signatureFor, verifyWebhookSignature, type SignatureCheck } from '../nodes/shared/bitbucket/webhookSignature';
export type * from '../nodes/shared/bitbucket/types';
export * as sync from '../nodes/shared/sync';
