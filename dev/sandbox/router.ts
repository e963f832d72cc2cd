import type { HttpMethod, RouteDefinition } from './context';

interface CompiledRoute {
	definition: RouteDefinition;
	segments: string[];
}

export type RouteMatch =
	| { kind: 'found'; route: RouteDefinition; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allowed: HttpMethod[] }
	| { kind: 'not-found' };

/** Matches DECODED path segments (relative to /2.0) against `/a/:param/b` patterns. */
export class Router {
	private readonly bySize = new Map<number, CompiledRoute[]>();

	constructor(definitions: readonly RouteDefinition[]) {
		for (const definition of definitions) {
			const segments = definition.path.split('/').filter((s) => s !== '');
			const list = this.bySize.get(segments.length) ?? [];
			list.push({ definition, segments });
			this.bySize.set(segments.length, list);
		}
	}

	match(method: string, segments: readonly string[]): RouteMatch {
		const allowed: HttpMethod[] = [];
		for (const candidate of this.bySize.get(segments.length) ?? []) {
			const params = matchSegments(candidate.segments, segments);
			if (!params) continue;
			if (candidate.definition.method === method) return { kind: 'found', route: candidate.definition, params };
			allowed.push(candidate.definition.method);
		}
		return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
	}
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
	const params: Record<string, string> = {};
	for (let i = 0; i < pattern.length; i++) {
		const p = pattern[i];
		if (p.startsWith(':')) {
			if (actual[i] === '') return undefined;
			params[p.slice(1)] = actual[i];
		} else if (p !== actual[i]) {
			return undefined;
		}
	}
	return params;
}
