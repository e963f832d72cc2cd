/** Bitbucket's query language (BBQL), as the operations and the searchable lists build it. */

/** Quotes a string for BBQL: `"…"` with `\` and `"` escaped. */
export function bbqlString(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `field ~ "text"` (contains, case-insensitive), or undefined for an empty text. */
export function contains(field: string, text: unknown): string | undefined {
	const value = typeof text === 'string' ? text.trim() : '';
	return value ? `${field} ~ ${bbqlString(value)}` : undefined;
}

/** The Name Contains / Sort filters of branch and tag lists as a query. */
export function refQuery(filters: Record<string, unknown>): { q?: string; sort?: string } {
	return { q: contains('name', filters.name), sort: (filters.sort as string | undefined) || undefined };
}
