/** Plain-text tables for the terminal. */

export function table(headers: string[], rows: Array<Array<string | number | undefined>>): string {
	const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c)).replace(/\s+/g, ' ')));
	const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => r[i].length))));
	const line = (values: string[]) =>
		values
			.map((v, i) => (v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
