import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BitbucketClient } from '../../shared/bitbucket/client';
import type { Defaults } from '../helpers/locators';

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
