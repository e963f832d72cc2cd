/**
 * A parameter's value for one item, exactly as n8n's getNodeParameter gives it, without n8n's expression
 * evaluator where that is not needed. With thousands of items n8n spends ~0.1 ms on each expression, most of
 * the node's time; two cases need no evaluator at all:
 *  - a parameter that is not an expression has the same value for every item: resolved once;
 *  - the plain mapping `{{ $json.field }}` (also nested, indexed or `?.` paths) is the item's own property,
 *    read directly.
 * Anything else goes to n8n's evaluator. test/node/fast-parameter.test.ts checks both paths give n8n's result.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

interface ParameterCache {
	raw: INodeParameters;
	items: INodeExecutionData[];
	constants: Map<string, unknown>;
	paths: Map<string, PropertyPath | null>;
}
const parameterCaches = new WeakMap<IExecuteFunctions, ParameterCache>();

type PropertyPath = Array<string | number>;

/**
 * `={{ $json.a.b }}`, `={{ $json["a"][0] }}`, `={{ $json?.a }}` → the property path; anything else → null.
 */
export function simpleJsonPath(expression: string): PropertyPath | null {
	const m = /^=\{\{\s*\$json((?:\??\.[A-Za-z_$][\w$]*|(?:\?\.)?\[(?:\d+|'[^'\\]*'|"[^"\\]*")\])+)\s*\}\}$/.exec(expression);
	if (!m) return null;
	const path: PropertyPath = [];
	const segment = /(?:\??\.([A-Za-z_$][\w$]*)|(?:\?\.)?\[(?:(\d+)|'([^'\\]*)'|"([^"\\]*)")\])/gy;
	let part: RegExpExecArray | null;
	while ((part = segment.exec(m[1])) !== null) {
		if (part[1] !== undefined) path.push(part[1]);
		else if (part[2] !== undefined) path.push(Number(part[2]));
		else path.push(part[3] ?? part[4] ?? '');
		if (segment.lastIndex === m[1].length) break;
	}
	return segment.lastIndex === m[1].length ? path : null;
}

const FALLBACK = Symbol('use n8n');

/**
 * The value at a path, as JavaScript reads it, for data the item holds: own properties, array elements and a
 * string's length. Anything else (an inherited member such as `constructor` or `toString`, a property of a
 * number) is left to n8n's evaluator, whose sandbox has its own rules for those.
 */
function readPath(value: unknown, path: PropertyPath): unknown {
	let current = value;
	for (const key of path) {
		if (current === null || current === undefined) return undefined;
		if (typeof current === 'string') {
			if (key !== 'length') return FALLBACK;
			current = current.length;
			continue;
		}
		if (typeof current !== 'object') return FALLBACK;
		if (!Object.hasOwn(current, key)) {
			if (key in current) return FALLBACK;
			return undefined;
		}
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

/** A parameter's value for one item, as n8n's getNodeParameter gives it (see the top of this file). */
export function itemParameter(fn: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	let cache = parameterCaches.get(fn);
	if (!cache) {
		cache = { raw: fn.getNode().parameters, items: fn.getInputData(), constants: new Map(), paths: new Map() };
		parameterCaches.set(fn, cache);
	}
	const raw = cache.raw[name];
	if (typeof raw === 'string' && raw.startsWith('=')) {
		let path = cache.paths.get(name);
		if (path === undefined) cache.paths.set(name, (path = simpleJsonPath(raw)));
		const item = cache.items[itemIndex];
		const direct = path && item ? readPath(item.json, path) : FALLBACK;
		return direct !== FALLBACK ? direct : (fn.getNodeParameter(name, itemIndex, fallback as string) as unknown);
	}
	if (raw === undefined || (typeof raw === 'object' && raw !== null)) {
		return fn.getNodeParameter(name, itemIndex, fallback as string) as unknown;
	}
	if (!cache.constants.has(name)) cache.constants.set(name, fn.getNodeParameter(name, itemIndex, fallback as string) as unknown);
	return cache.constants.get(name);
}
