import { createHash } from 'node:crypto';

/** mulberry32: a small deterministic generator; the seed fixes the whole data set. */
export class Prng {
	private stateValue: number;

	constructor(seed: number) {
		this.stateValue = seed >>> 0;
	}

	next(): number {
		this.stateValue = (this.stateValue + 0x6d2b79f5) >>> 0;
		let t = this.stateValue;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(minInclusive: number, maxInclusive: number): number {
		return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}
}

/** A stable 40-hex git-like hash for a label. */
export function hashOf(label: string): string {
	return createHash('sha1').update(label).digest('hex');
}

/** A stable brace-wrapped UUID for a label, the way Bitbucket prints UUIDs: {xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx}. */
export function uuidOf(label: string): string {
	return `{${bareUuidOf(label)}}`;
}

export function bareUuidOf(label: string): string {
	const h = createHash('sha256').update(label).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
