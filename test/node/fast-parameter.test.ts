/**
 * Axion Sync's parameter fast path against n8n's own evaluator, inside n8n-core's engine: a probe node reads
 * the same parameter both ways for every item, and every value must be identical. Expressions the fast path does
 * not recognise must go to n8n.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { itemParameter, simpleJsonPath } from '../../nodes/AxionSync/helpers/fastParameter';
import { runNode } from '../../dev/n8n/engine';

class Probe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Reads parameter p both ways',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'P', name: 'p', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, i) => {
				// Fast path first: it must not depend on n8n having evaluated the parameter before.
				const fast = outcome(() => itemParameter(this, 'p', i, ''));
				const n8n = outcome(() => this.getNodeParameter('p', i, ''));
				return { json: { fast, n8n }, pairedItem: { item: i } };
			}),
		];
	}
}

/** A value, or the error n8n's evaluator raises for it (a function reference, `constructor`), as comparable text. */
function outcome(read: () => unknown): string {
	try {
		return show(read());
	} catch (error) {
		return `error:${error instanceof Error ? error.message : String(error)}`;
	}
}

/** Values as comparable JSON, keeping undefined, functions and types apart. */
function show(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (typeof value === 'function') return 'function';
	if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
	return `${typeof value}:${JSON.stringify(value)}`;
}

const items: INodeExecutionData[] = [
	{ json: { id: 7, name: 'abc', rec: { key: 'r1', deep: { x: [1, { y: 'z' }] } }, 'pull request': [{ id: 9 }], empty: '', nil: null, flag: false, list: [3, 4] } },
	{ json: { id: '8', name: '', rec: { key: 42 }, 'pull request': [], nil: 0, flag: true, list: [] } },
	{ json: { other: 'x' } },
	{ json: { id: 0.5, name: 'ünïcödé ☃', rec: null, list: 'not a list' } },
];

async function probe(expression: string): Promise<Array<{ fast: string; n8n: string }>> {
	const result = await runNode({ type: 'test.probe', nodeType: new Probe(), parameters: { p: expression } }, { items });
	if (result.error) throw result.error;
	return result.items.map((i) => i.json as { fast: string; n8n: string });
}

describe('the fast path reads exactly what n8n evaluates', () => {
	it.each([
		'={{ $json.id }}',
		'={{$json.name}}',
		'={{ $json.rec.key }}',
		'={{ $json.rec?.key }}',
		'={{ $json.rec.deep.x[1].y }}',
		'={{ $json["pull request"][0].id }}',
		"={{ $json['pull request'][0]?.id }}",
		'={{ $json.name.length }}',
		'={{ $json.list.length }}',
		'={{ $json.list[1] }}',
		'={{ $json.empty }}',
		'={{ $json.nil }}',
		'={{ $json.flag }}',
		'={{ $json.missing }}',
		'={{ $json.missing?.deeper }}',
		'={{ $json.rec }}',
		// Inherited members: the fast path hands them to n8n, which refuses them; the outcome is the same error.
		'={{ $json.constructor }}',
		'={{ $json.toString }}',
		'={{ $json.name.toUpperCase }}',
		'={{ $json.id.toFixed }}',
	])('%s', async (expression) => {
		expect(simpleJsonPath(expression)).not.toBeNull();
		for (const { fast, n8n } of await probe(expression)) expect(fast).toBe(n8n);
	});

	it.each(['plain text', '42', ''])('a constant (%p) is the same for every item, read once', async (value) => {
		for (const { fast, n8n } of await probe(value)) expect(fast).toBe(n8n);
	});
});

describe('anything else goes to n8n', () => {
	it.each([
		'={{ $json.id + 1 }}',
		'={{ String($json.id) }}',
		'={{ $json.name.toUpperCase() }}',
		'={{ $json.rec.key }}-suffix',
		'=prefix-{{ $json.id }}',
		'={{ $json.id }}{{ $json.name }}',
		'={{ $itemIndex }}',
		'={{ $json[$json.name] }}',
		'={{ $input.item.json.id }}',
	])('%s', async (expression) => {
		expect(simpleJsonPath(expression)).toBeNull();
		for (const { fast, n8n } of await probe(expression)) expect(fast).toBe(n8n);
	});
});
