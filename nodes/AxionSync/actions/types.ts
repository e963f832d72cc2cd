import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SyncStore } from '../../shared/sync';

export interface OperationContext {
	store: SyncStore;
	items: INodeExecutionData[];
	continueOnFail: boolean;
	/** Strings to keep out of error messages (the database password). */
	secrets: string[];
}

export type OperationExecute = (this: IExecuteFunctions, context: OperationContext) => Promise<INodeExecutionData[]>;

/** One operation: its fields (shown only for it by the registry) and its batch execution over all items. */
export interface Operation {
	description: INodeProperties[];
	execute: OperationExecute;
}
