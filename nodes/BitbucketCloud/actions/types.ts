import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BitbucketClient } from '../../shared/bitbucket/client';
import type { Defaults } from '../helpers/locators';

export interface OperationContext {
	client: BitbucketClient;
	defaults: Defaults;
}

/** Output items with more than JSON (a file as binary data); the router pairs them with the input item. */
export class OutputItems {
	constructor(readonly items: INodeExecutionData[]) {}
}

/**
 * What an operation returns for one input item: one JSON object (a Bitbucket object or our own), several
 * (one output item each), whole output items (OutputItems), or nothing (the item becomes `{ success: true }`).
 */
export type OperationResult = IDataObject | object | object[] | OutputItems | undefined;

export interface Operation {
	/** The operation's fields (displayOptions are added by the resource). */
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult>;
	/**
	 * The client names its own arguments (`id`, `strategy`, `text`, …): where this operation's field has another
	 * name, the error names the field instead. Paths inside collections use dots (`updateFields.title`).
	 */
	fields?: Record<string, string> | ((this: IExecuteFunctions, itemIndex: number) => Record<string, string>);
	/**
	 * Whether the operation only reads (its items then run 4 at a time unless Parallel Requests says otherwise).
	 * Default: operations whose value starts with `get`.
	 */
	reads?: (this: IExecuteFunctions, itemIndex: number) => boolean;
}

export interface Resource {
	/** Entry in the Resource dropdown. */
	option: INodePropertyOptions;
	/** Entries in the Operation dropdown, in display order, each with its one-line description and its module. */
	operations: Array<INodePropertyOptions & { value: string; description: string; action: string; module: Operation }>;
	defaultOperation: string;
}
