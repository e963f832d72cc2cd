/**
 * A subset of BBQL, Bitbucket's filter language (`q=`): comparisons (=, !=, ~, !~, >, >=, <, <=, IN, NOT IN) on
 * dotted fields against "strings", numbers, unquoted ISO-8601 datetimes, true/false/null, combined with AND / OR
 * (case-insensitive) and parentheses. Plus `sort=field` / `sort=-field`.
 */
import { badRequest } from './errors';

type Literal =
	| { type: 'string'; value: string }
	| { type: 'number'; value: number }
	| { type: 'datetime'; value: number; text: string }
	| { type: 'boolean'; value: boolean }
	| { type: 'null' };

type Operator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=';

type Node =
	| { kind: 'and' | 'or'; left: Node; right: Node }
	| { kind: 'compare'; field: string[]; op: Operator; value: Literal }
	| { kind: 'in'; field: string[]; negated: boolean; values: Literal[] };

type Token =
	| { kind: 'lparen' | 'rparen' | 'comma'; pos: number }
	| { kind: 'op'; op: Operator; pos: number }
	| { kind: 'word'; text: string; pos: number }
	| { kind: 'literal'; literal: Literal; pos: number };

export class BbqlError extends Error {}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function parseDatetime(text: string, pos: number): number {
	let iso = text.includes('T') ? text : `${text}T00:00:00`;
	if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) throw new BbqlError(`Invalid datetime '${text}' at position ${pos}`);
	return ms;
}

function tokenize(input: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < input.length) {
		const c = input[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '(' || c === ')' || c === ',') {
			tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', pos: i });
			i++;
		} else if (c === '"') {
			const start = i;
			let value = '';
			i++;
			while (i < input.length && input[i] !== '"') {
				if (input[i] === '\\' && i + 1 < input.length) i++;
				value += input[i];
				i++;
			}
			if (i >= input.length) throw new BbqlError(`Unterminated string starting at position ${start}`);
			i++;
			tokens.push({ kind: 'literal', literal: { type: 'string', value }, pos: start });
		} else if ('=!~<>'.includes(c)) {
			const two = input.slice(i, i + 2);
			const op = (['!=', '!~', '>=', '<='] as const).find((o) => o === two) ?? (['=', '~', '>', '<'] as const).find((o) => o === c);
			if (!op) throw new BbqlError(`Unexpected character '${c}' at position ${i}`);
			tokens.push({ kind: 'op', op, pos: i });
			i += op.length;
		} else if (/[0-9-]/.test(c)) {
			const start = i;
			while (i < input.length && /[0-9T:.+\-Z]/.test(input[i])) i++;
			const text = input.slice(start, i);
			if (DATETIME.test(text)) tokens.push({ kind: 'literal', literal: { type: 'datetime', value: parseDatetime(text, start), text }, pos: start });
			else if (NUMBER.test(text)) tokens.push({ kind: 'literal', literal: { type: 'number', value: Number(text) }, pos: start });
			else throw new BbqlError(`Invalid value '${text}' at position ${start}`);
		} else if (/[A-Za-z_]/.test(c)) {
			const start = i;
			while (i < input.length && /[A-Za-z0-9_.]/.test(input[i])) i++;
			const text = input.slice(start, i);
			const lower = text.toLowerCase();
			if (lower === 'true' || lower === 'false') tokens.push({ kind: 'literal', literal: { type: 'boolean', value: lower === 'true' }, pos: start });
			else if (lower === 'null') tokens.push({ kind: 'literal', literal: { type: 'null' }, pos: start });
			else tokens.push({ kind: 'word', text, pos: start });
		} else {
			throw new BbqlError(`Unexpected character '${c}' at position ${i}`);
		}
	}
	return tokens;
}

class Parser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly length: number,
	) {}

	parse(): Node {
		if (this.tokens.length === 0) throw new BbqlError('Empty query');
		const node = this.or();
		const rest = this.peek();
		if (rest) throw new BbqlError(`Unexpected ${describe(rest)} at position ${rest.pos}`);
		return node;
	}

	private peek(): Token | undefined {
		return this.tokens[this.index];
	}

	private keyword(word: string): boolean {
		const t = this.peek();
		if (t?.kind === 'word' && t.text.toUpperCase() === word) {
			this.index++;
			return true;
		}
		return false;
	}

	private or(): Node {
		let left = this.and();
		while (this.keyword('OR')) left = { kind: 'or', left, right: this.and() };
		return left;
	}

	private and(): Node {
		let left = this.primary();
		while (this.keyword('AND')) left = { kind: 'and', left, right: this.primary() };
		return left;
	}

	private primary(): Node {
		const t = this.next('a field name or (');
		if (t.kind === 'lparen') {
			const inner = this.or();
			const close = this.next(')');
			if (close.kind !== 'rparen') throw new BbqlError(`Expected ) at position ${close.pos}`);
			return inner;
		}
		if (t.kind !== 'word' || ['AND', 'OR', 'IN', 'NOT'].includes(t.text.toUpperCase())) {
			throw new BbqlError(`Expected a field name at position ${t.pos}, found ${describe(t)}`);
		}
		const field = t.text.split('.');
		if (this.keyword('IN')) return { kind: 'in', field, negated: false, values: this.list() };
		if (this.keyword('NOT')) {
			if (!this.keyword('IN')) throw new BbqlError(`Expected IN after NOT at position ${this.peek()?.pos ?? this.length}`);
			return { kind: 'in', field, negated: true, values: this.list() };
		}
		const op = this.next('an operator');
		if (op.kind !== 'op') throw new BbqlError(`Expected an operator after '${t.text}' at position ${op.pos}, found ${describe(op)}`);
		const value = this.next('a value');
		if (value.kind !== 'literal') throw new BbqlError(`Expected a value at position ${value.pos}, found ${describe(value)}`);
		return { kind: 'compare', field, op: op.op, value: value.literal };
	}

	private list(): Literal[] {
		const open = this.next('(');
		if (open.kind !== 'lparen') throw new BbqlError(`Expected ( at position ${open.pos}`);
		const values: Literal[] = [];
		for (;;) {
			const v = this.next('a value');
			if (v.kind !== 'literal') throw new BbqlError(`Expected a value at position ${v.pos}`);
			values.push(v.literal);
			const sep = this.next(', or )');
			if (sep.kind === 'rparen') return values;
			if (sep.kind !== 'comma') throw new BbqlError(`Expected , or ) at position ${sep.pos}`);
		}
	}

	private next(expected: string): Token {
		const t = this.tokens[this.index];
		if (!t) throw new BbqlError(`Unexpected end of query, expected ${expected}`);
		this.index++;
		return t;
	}
}

function describe(t: Token): string {
	switch (t.kind) {
		case 'word':
			return `'${t.text}'`;
		case 'op':
			return `'${t.op}'`;
		case 'literal':
			return 'a value';
		default:
			return `'${t.kind === 'lparen' ? '(' : t.kind === 'rparen' ? ')' : ','}'`;
	}
}

/** Every value at a dotted path; arrays along the way are flattened (so `reviewers.nickname` matches any reviewer). */
export function valuesAt(item: unknown, keys: readonly string[]): unknown[] {
	let current: unknown = item;
	for (let i = 0; i < keys.length; i++) {
		if (Array.isArray(current)) return valuesInArray(current, keys.slice(i));
		if (current === null || typeof current !== 'object') return [];
		current = Reflect.get(current, keys[i]);
	}
	if (current === undefined) return [];
	return Array.isArray(current) ? current : [current];
}

function valuesInArray(items: unknown[], keys: readonly string[]): unknown[] {
	const out: unknown[] = [];
	for (const element of items) out.push(...valuesAt(element, keys));
	return out;
}

const dateCache = new Map<string, number>();

function asTime(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	let ms = dateCache.get(value);
	if (ms === undefined) {
		ms = Date.parse(value);
		if (dateCache.size > 200_000) dateCache.clear();
		dateCache.set(value, ms);
	}
	return Number.isNaN(ms) ? undefined : ms;
}

function order(value: unknown, literal: Literal): number | undefined {
	switch (literal.type) {
		case 'datetime': {
			const t = asTime(value);
			return t === undefined ? undefined : t - literal.value;
		}
		case 'number':
			return typeof value === 'number' ? value - literal.value : undefined;
		case 'string':
			return typeof value === 'string' ? (value < literal.value ? -1 : value > literal.value ? 1 : 0) : undefined;
		default:
			return undefined;
	}
}

function equals(value: unknown, literal: Literal): boolean {
	switch (literal.type) {
		case 'null':
			return value === null || value === undefined;
		case 'boolean':
			return value === literal.value;
		case 'number':
			return typeof value === 'number' ? value === literal.value : String(value) === String(literal.value);
		case 'string':
			return typeof value === 'number' ? String(value) === literal.value : value === literal.value;
		case 'datetime':
			return asTime(value) === literal.value;
	}
}

function contains(value: unknown, literal: Literal): boolean {
	if (literal.type !== 'string' || typeof value !== 'string') return false;
	return value.toLowerCase().includes(literal.value.toLowerCase());
}

function test(values: unknown[], op: Operator, literal: Literal): boolean {
	const present = values.length > 0 ? values : [null];
	switch (op) {
		case '=':
			return present.some((v) => equals(v, literal));
		case '!=':
			return !present.some((v) => equals(v, literal));
		case '~':
			return present.some((v) => contains(v, literal));
		case '!~':
			return !present.some((v) => contains(v, literal));
		default:
			return present.some((v) => {
				const cmp = order(v, literal);
				if (cmp === undefined) return false;
				return op === '>' ? cmp > 0 : op === '>=' ? cmp >= 0 : op === '<' ? cmp < 0 : cmp <= 0;
			});
	}
}

function evaluate(node: Node, item: unknown): boolean {
	switch (node.kind) {
		case 'and':
			return evaluate(node.left, item) && evaluate(node.right, item);
		case 'or':
			return evaluate(node.left, item) || evaluate(node.right, item);
		case 'in': {
			const values = valuesAt(item, node.field);
			const hit = node.values.some((literal) => test(values, '=', literal));
			return node.negated ? !hit : hit;
		}
		case 'compare':
			return test(valuesAt(item, node.field), node.op, node.value);
	}
}

export type Predicate = (item: unknown) => boolean;

/** Parses a BBQL query; throws BbqlError with a position on syntax errors. */
export function compileQuery(q: string): Predicate {
	const ast = new Parser(tokenize(q), q.length).parse();
	return (item) => evaluate(ast, item);
}

/** Applies `q` (when given) to items: a syntax error answers 400 like Bitbucket. */
export function filterByQuery<T>(items: readonly T[], q: string | undefined): readonly T[] {
	if (q === undefined || q.trim() === '') return items;
	let predicate: Predicate;
	try {
		predicate = compileQuery(q);
	} catch (error) {
		if (error instanceof BbqlError) throw badRequest('Invalid query', { detail: `${error.message} (q=${q})` });
		throw error;
	}
	return items.filter((item) => predicate(item));
}

function compareValues(a: unknown, b: unknown): number {
	const aMissing = a === null || a === undefined;
	const bMissing = b === null || b === undefined;
	if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	const as = String(a);
	const bs = String(b);
	return as < bs ? -1 : as > bs ? 1 : 0;
}

/** `sort=field` ascending, `sort=-field` descending; a stable sort, missing values last. */
export function sortBy<T>(items: readonly T[], sort: string | undefined): readonly T[] {
	if (!sort) return items;
	const descending = sort.startsWith('-');
	const field = descending ? sort.slice(1) : sort;
	if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(field)) throw badRequest('Invalid sort', { detail: `Cannot sort on '${sort}'` });
	const keys = field.split('.');
	const keyed = items.map((item) => ({ item, key: valuesAt(item, keys)[0] }));
	keyed.sort((x, y) => {
		const c = compareValues(x.key, y.key);
		return descending && x.key !== null && x.key !== undefined && y.key !== null && y.key !== undefined ? -c : c;
	});
	return keyed.map((k) => k.item);
}
