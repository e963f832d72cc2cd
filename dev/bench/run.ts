/** `npm run bench`: every benchmark, printing its figures. Speed goals live here, never in tests. */
import { benchItems } from './items';
import { benchListing } from './listing';
import { benchPollSync } from './poll-sync';
import { benchQueue } from './queue';
import { benchSync } from './sync';

async function main(): Promise<void> {
	const only = process.argv[2];
	if (!only || only === 'listing' || only === 'pagination') await benchListing();
	if (!only || only === 'items') await benchItems();
	if (!only || only === 'sync') {
		await benchPollSync();
		await benchSync();
	}
	if (!only || only === 'queue') await benchQueue();
}

// n8n's Postgres node (measured by the sync benchmark) keeps its connection pool open: leave once done.
main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
