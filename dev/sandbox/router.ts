import type { HttpMethod, RouteDefinition } from './context';

interface CompiledRoute {
	definition: RouteDefinition;
	segments: string[];
}

export type RouteMatch =
	| { kind: 'found'; route: RouteDefinition; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allowed: HttpMethod[] }
	| { kind: 'not-found' };

/**
 * Matches DECODED path segments (relative to /2.0) against `/a/:param/b` patterns. A last segment `*name` takes
 * the rest of the path, any number of segments, joined by "/" (the file path of `src/{commit}/{path}`).
 */
export class Router {
	private readonly bySize = new Map<number, CompiledRoute[]>();

	private readonly withRest: CompiledRoute[] = [];

	constructor(definitions: readonly RouteDefinition[]) {
		for (const definition of definitions) {
			const segments = definition.path.split('/').filter((s) => s !== '');
			if (segments[segments.length - 1]?.startsWith('*')) {
				this.withRest.push({ definition, segments });
				continue;
			}
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
		if (allowed.length === 0) {
			for (const candidate of this.withRest) {
				const fixed = candidate.segments.length - 1;
				if (segments.length < fixed) continue;
				const params = matchSegments(candidate.segments.slice(0, fixed), segments.slice(0, fixed));
				if (!params) continue;
				params[candidate.segments[fixed].slice(1)] = segments.slice(fixed).join('/');
				if (candidate.definition.method === method) return { kind: 'found', route: candidate.definition, params };
				allowed.push(candidate.definition.method);
			}
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
