/**
 * The thin router: one client per execution, then the input items run the chosen operation through a pool
 * (Request Options → Parallel Requests: by default 4 at a time for operations that read, 1 for those that write).
 * The output keeps the input's order, and every output item is paired with its input item. With Continue On
 * Fail a failing item becomes an error item in its place, and so does every item when the setup fails (a bad
 * credential, a bad option): n8n would otherwise pass the input items through as if they were results. Without
 * it the node fails with the first failing item: no request is started after the failure, and the requests
 * already sent finish first.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { BitbucketInputError } from '../../shared/bitbucket/errors';
import { checkConcurrency, RequestsStoppedError } from '../../shared/bitbucket/gate';
import type { RetryOptions } from '../../shared/bitbucket/retry';
import { bitbucketErrorItem, toNodeError, type ErrorScope } from '../helpers/errors';
import { runItemPool } from '../helpers/itemPool';
import { connect, type ConnectedClient } from '../transport';
import { resources } from './resources';
import { OutputItems, type Operation } from './types';

/** A number option of the Rate Limiting collection, checked with the name the user sees. */
function rateLimitNumber(settings: IDataObject, key: string, label: string, max: number, whole = false): number | undefined {
	const value = settings[key];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max || (whole && !Number.isInteger(value))) {
		throw new BitbucketInputError(
			`Rate Limiting → ${label} must be ${whole ? 'a whole number' : 'a number'} from 0 to ${max}, got ${JSON.stringify(value)}`,
			`rateLimiting.${key}`,
		);
	}
	return value;
}

function retryOptions(settings: IDataObject): Partial<RetryOptions> {
	const seconds = rateLimitNumber(settings, 'rateLimitWaitSeconds', 'Wait Without Retry-After (Seconds)', 3600);
	const totalMinutes = rateLimitNumber(settings, 'maxTotalWaitMinutes', 'Max Total Wait (Minutes)', 24 * 60);
	return {
		maxRetries: rateLimitNumber(settings, 'maxRetries', 'Max Retries', 10, true),
		rateLimitDelayMs: seconds === undefined ? undefined : seconds * 1000,
		maxTotalWaitMs: totalMinutes === undefined ? undefined : totalMinutes * 60_000,
	};
}

function findOperation(resourceName: unknown, operationName: unknown): Operation {
	const operation = resources[String(resourceName)]?.operations.find((o) => o.value === operationName)?.module;
	if (!operation) {
		throw new BitbucketInputError(`The operation "${String(operationName)}" of "${String(resourceName)}" is not supported`, 'operation');
	}
	return operation;
}

/** Parallel Requests as set, else 4 for an operation that reads and 1 for one that writes. */
function parallelRequests(this: IExecuteFunctions, operation: Operation, operationName: unknown): number {
	const settings = (this.getNodeParameter('requestOptions', 0, {}) as IDataObject) ?? {};
	const value = settings.parallelRequests;
	if (value !== undefined && value !== null && value !== '') {
		return checkConcurrency(value, 'requestOptions.parallelRequests', 'Request Options → Parallel Requests');
	}
	const reads = operation.reads ? operation.reads.call(this, 0) : String(operationName).startsWith('get');
	return reads ? 4 : 1;
}

async function setUp(this: IExecuteFunctions): Promise<{ operation: Operation; connected: ConnectedClient; width: number }> {
	const operationName = this.getNodeParameter('operation', 0);
	const operation = findOperation(this.getNodeParameter('resource', 0), operationName);
	const settings = (this.getNodeParameter('rateLimiting', 0, {}) as IDataObject) ?? {};
	const width = parallelRequests.call(this, operation, operationName);
	const connected = await connect(this, { retry: retryOptions(settings), concurrency: width });
	return { operation, connected, width };
}

/** How an operation's errors name its fields. */
function scopeOf(this: IExecuteFunctions, operation: Operation, itemIndex: number): ErrorScope {
	const fields = typeof operation.fields === 'function' ? operation.fields.call(this, itemIndex) : operation.fields;
	return { properties: operation.description, fields };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();

	let setup: Awaited<ReturnType<typeof setUp>>;
	try {
		setup = await setUp.call(this);
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0);
		if (!this.continueOnFail()) throw nodeError;
		return [items.map((_, itemIndex) => bitbucketErrorItem(error, nodeError, itemIndex))];
	}

	const { operation, connected, width } = setup;
	const continueOnFail = this.continueOnFail();
	const results = await runItemPool(
		items.length,
		{
			width,
			// One failure without Continue On Fail ends the run: the gate refuses every request not yet sent.
			onStop: () => connected.client.http.gate.close(),
			isStopped: (error) => error instanceof RequestsStoppedError,
		},
		async (itemIndex): Promise<INodeExecutionData[]> => {
			const outcome = await operation.execute.call(this, itemIndex, connected).then(
				(result) => ({ result }),
				(error: unknown) => ({ error }),
			);
			if ('result' in outcome) {
				const { result } = outcome;
				if (result instanceof OutputItems) return result.items.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
				const rows = result === undefined ? [{ success: true }] : Array.isArray(result) ? result : [result];
				return rows.map((json) => ({ json: json as IDataObject, pairedItem: { item: itemIndex } }));
			}
			// Refused because another item failed first: that item's error is the one reported.
			if (outcome.error instanceof RequestsStoppedError) return await Promise.reject(outcome.error);
			const scope = scopeOf.call(this, operation, itemIndex);
			const nodeError = toNodeError(this.getNode(), outcome.error, itemIndex, scope);
			if (!continueOnFail) throw nodeError;
			return [bitbucketErrorItem(outcome.error, nodeError, itemIndex, scope)];
		},
	);
	return [results.flat()];
}
