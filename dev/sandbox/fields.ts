/**
 * Partial responses (`fields=`). Bitbucket's three modes, applied to the whole response including the
 * pagination envelope:
 *  - `-path` removes a field, `+path` adds one that is not returned by default (e.g. `+values.reviewers`);
 *  - plain paths (`values.id,next`) return ONLY those fields: a selection without `next` loses the link to page 2;
 *  - `*` matches every field at one level (`-links.*`, `-*,+foo`). `fields=*` includes the hidden fields.
 * An unencoded `+` arrives as a space and, like on Bitbucket, then matches nothing.
 */

type Tree = Map<string, Tree | true>;

interface FieldSpec {
	selects: string[][];
	adds: string[][];
	removes: string[][];
}

function parse(fields: string): FieldSpec {
	const spec: FieldSpec = { selects: [], adds: [], removes: [] };
	for (const token of fields.split(',')) {
		if (token === '') continue;
		if (token.startsWith('-')) spec.removes.push(token.slice(1).split('.'));
		else if (token.startsWith('+')) spec.adds.push(token.slice(1).split('.'));
		else spec.selects.push(token.split('.'));
	}
	return spec;
}

function buildTree(paths: string[][]): Tree {
	const root: Tree = new Map();
	for (const path of paths) {
		let node = root;
		path.forEach((key, index) => {
			if (index === path.length - 1) {
				node.set(key, true);
				return;
			}
			const existing = node.get(key);
			if (existing === true) return;
			const child: Tree = existing ?? new Map();
			node.set(key, child);
			node = child;
		});
	}
	return root;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Keeps only the paths in `tree`; arrays are traversed element by element. Returns undefined when nothing matched. */
function select(value: unknown, tree: Tree): unknown {
	if (Array.isArray(value)) return value.map((element) => select(element, tree) ?? {});
	if (!isRecord(value)) return undefined;
	const out: Record<string, unknown> = {};
	for (const [key, child] of tree) {
		const keys = key === '*' ? Object.keys(value) : key in value ? [key] : [];
		for (const k of keys) {
			const picked = child === true ? value[k] : select(value[k], child);
			if (picked === undefined) continue;
			const existing = out[k];
			out[k] = existing === undefined ? picked : merge(existing, picked);
		}
	}
	return out;
}

function merge(target: unknown, addition: unknown): unknown {
	if (Array.isArray(target) && Array.isArray(addition)) return target.map((t, i) => (i < addition.length ? merge(t, addition[i]) : t));
	if (isRecord(target) && isRecord(addition)) {
		const out: Record<string, unknown> = { ...target };
		for (const [k, v] of Object.entries(addition)) out[k] = k in out ? merge(out[k], v) : v;
		return out;
	}
	return addition;
}

function remove(value: unknown, path: string[]): unknown {
	if (Array.isArray(value)) return value.map((element) => remove(element, path));
	if (!isRecord(value) || path.length === 0) return value;
	const [head, ...rest] = path;
	const out: Record<string, unknown> = { ...value };
	const keys = head === '*' ? Object.keys(out) : head in out ? [head] : [];
	for (const k of keys) {
		if (rest.length === 0) delete out[k];
		else out[k] = remove(out[k], rest);
	}
	return out;
}

function samePrefix(a: string[], b: string[]): boolean {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) if (a[i] !== b[i] && a[i] !== '*' && b[i] !== '*') return false;
	return true;
}

/**
 * Applies `fields` to a full representation. `hidden` lists paths left out by default (they are still in `full`,
 * so an explicit selection or `+path` can bring them back).
 */
export function applyFields(full: unknown, fields: string | undefined, hidden: readonly string[] = []): unknown {
	const spec = fields ? parse(fields) : { selects: [], adds: [], removes: [] };
	const hiddenPaths = hidden.map((h) => h.split('.'));
	if (spec.selects.length > 0) {
		return select(full, buildTree([...spec.selects, ...spec.adds])) ?? {};
	}
	let result = full;
	for (const path of hiddenPaths) {
		if (!spec.adds.some((add) => samePrefix(add, path))) result = remove(result, path);
	}
	if (spec.removes.length === 0) return result;
	for (const path of spec.removes) result = remove(result, path);
	return spec.adds.length > 0 ? merge(result, select(full, buildTree(spec.adds)) ?? {}) : result;
}

/** True when `fields` is absent or has no effect, so the full object can be sent as it is. */
export function fieldsAreTrivial(fields: string | undefined, hidden: readonly string[]): boolean {
	return (fields === undefined || fields === '') && hidden.length === 0;
}
