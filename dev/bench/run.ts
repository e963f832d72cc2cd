/** `npm run bench`: every benchmark, printing its figures. Speed goals live here, never in tests. */
import { benchPagination } from './pagination';
import { benchPollSync } from './poll-sync';
import { benchSync } from './sync';

async function main(): Promise<void> {
	const only = process.argv[2];
	if (!only || only === 'pagination') await benchPagination();
	if (!only || only === 'sync') {
		await benchPollSync();
		await benchSync();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
