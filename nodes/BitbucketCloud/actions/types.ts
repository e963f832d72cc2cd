import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BitbucketClient } from '../../shared/bitbucket/client';
import type { Defaults } from '../helpers/params';

export interface OperationContext {
	client: BitbucketClient;
	defaults: Defaults;
}

/**
 * What an operation returns for one input item: one JSON object (a Bitbucket object or our own), several
 * (one output item each), or nothing (the item becomes `{ success: true }`).
 */
export type OperationResult = IDataObject | object | object[] | undefined;

export interface Operation {
	/** The operation's fields (displayOptions are added by the resource). */
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult>;
}

export interface Resource {
	/** Entry in the Resource dropdown. */
	option: INodePropertyOptions;
	/** Entries in the Operation dropdown, in display order, each with its module. */
	operations: Array<INodePropertyOptions & { value: string; module: Operation }>;
	defaultOperation: string;
}
