/**
 * The thin router: one client per execution, then each input item runs the chosen operation.
 * Every output item is paired with its input item. With Continue On Fail a failing item becomes an error item,
 * and so does every item when the setup fails (a bad credential, a bad option): n8n would otherwise pass the
 * input items through as if they were results.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { BitbucketInputError } from '../../shared/bitbucket/errors';
import type { RetryOptions } from '../../shared/bitbucket/retry';
import { bitbucketErrorItem, toNodeError, type ErrorScope } from '../helpers/errors';
import { connect, type ConnectedClient } from '../transport';
import { resources } from './resources';
import type { Operation } from './types';

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

async function setUp(this: IExecuteFunctions): Promise<{ operation: Operation; connected: ConnectedClient }> {
	const operation = findOperation(this.getNodeParameter('resource', 0), this.getNodeParameter('operation', 0));
	const settings = (this.getNodeParameter('rateLimiting', 0, {}) as IDataObject) ?? {};
	const connected = await connect(this, { retry: retryOptions(settings) });
	return { operation, connected };
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

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await setup.operation.execute.call(this, itemIndex, setup.connected);
			const rows = result === undefined ? [{ success: true }] : Array.isArray(result) ? result : [result];
			for (const json of rows) output.push({ json: json as IDataObject, pairedItem: { item: itemIndex } });
		} catch (error) {
			const scope = scopeOf.call(this, setup.operation, itemIndex);
			const nodeError = toNodeError(this.getNode(), error, itemIndex, scope);
			if (!this.continueOnFail()) throw nodeError;
			output.push(bitbucketErrorItem(error, nodeError, itemIndex, scope));
		}
	}
	return [output];
}
