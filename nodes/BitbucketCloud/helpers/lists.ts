/** A comma-separated text (or a list from an expression) as a list of trimmed, non-empty strings. */
export function splitList(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
	if (typeof value !== 'string' || !value.trim()) return undefined;
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}
