/** Query parameters exactly as received: repeated names keep every value, in order. */
export class QueryParams {
	private readonly map = new Map<string, string[]>();
	readonly entries: Array<[string, string]> = [];

	constructor(search: string) {
		for (const [name, value] of new URLSearchParams(search)) {
			this.entries.push([name, value]);
			const list = this.map.get(name);
			if (list) list.push(value);
			else this.map.set(name, [value]);
		}
	}

	get(name: string): string | undefined {
		return this.map.get(name)?.[0];
	}

	all(name: string): string[] {
		return this.map.get(name) ?? [];
	}

	has(name: string): boolean {
		return this.map.has(name);
	}

	toRecord(): Record<string, string[]> {
		const record: Record<string, string[]> = {};
		for (const [name, values] of this.map) record[name] = [...values];
		return record;
	}

	/** The query string with `name` replaced (or removed when value is undefined), other parameters kept in order. */
	with(name: string, value: string | undefined): string {
		const params = new URLSearchParams();
		for (const [n, v] of this.entries) if (n !== name) params.append(n, v);
		if (value !== undefined) params.append(name, value);
		return params.toString();
	}

	boolean(name: string): boolean | undefined {
		const value = this.get(name);
		if (value === undefined) return undefined;
		return value === 'true' || value === '1';
	}
}
