/** Matches a request against the paths of Bitbucket's own API spec (test/fixtures/bitbucket-openapi.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Spec {
	basePath: string;
	paths: Record<string, Record<string, unknown>>;
}

// A copy of ../shared/bitbucket-openapi.json (revision d1081e474f57), so a clone alone can run the tests.
const specPath = join(__dirname, '..', 'fixtures', 'bitbucket-openapi.json');
let templates: Array<{ template: string; regex: RegExp; methods: Set<string> }> | undefined;

function load() {
	if (templates) return templates;
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
	templates = Object.entries(spec.paths).map(([template, ops]) => ({
		template,
		// `{path}` (a file's path under src/{commit}) spans segments; every other parameter is one segment.
		regex: new RegExp(`^${spec.basePath}${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{path\}/g, '.*').replace(/\{[^}]+\}/g, '[^/]+')}$`),
		methods: new Set(Object.keys(ops).map((m) => m.toUpperCase())),
	}));
	return templates;
}

/** The spec's path template for a raw request path (percent-encoded segments), if the method exists there. */
export function specTemplateFor(method: string, rawPath: string): string | undefined {
	return load().find((t) => t.regex.test(rawPath) && t.methods.has(method))?.template;
}
