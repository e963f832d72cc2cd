/**
 * Unlink: deletes links; outputs each deleted row with `deleted: true`.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LinkRef } from '../../shared/sync';
import { describeRef, readNotFound, readRef } from '../helpers/read';
import { assemble, collect, linkJson, notFoundItems, runBatch } from '../helpers/batch';
import { type NotFoundMode, matchFields, notFoundField } from '../descriptions/fields';
import type { OperationContext } from './types';


export const description: INodeProperties[] = [...matchFields(), notFoundField('Guid')];

export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<INodeExecutionData[]> {
	const collected = collect(this, context, (i): { ref: LinkRef; notFound: NotFoundMode } => ({
		ref: readRef.call(this, i),
		notFound: readNotFound.call(this, i),
	}));
	const deleted = await runBatch(this, context, collected, async (values) => await context.store.unlink(values.map((v) => v.ref)));
	return assemble(context, collected, deleted, (links, i, { ref, notFound }) => {
		if (links.length > 0) return links.map((link) => ({ json: { ...linkJson(link), deleted: true }, pairedItem: { item: i } }));
		return notFoundItems(this, context, notFound, i, 'Guid', describeRef(ref));
	});
}
