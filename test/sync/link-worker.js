'use strict';
/**
 * Child process of the concurrency test: links a range of keys into the sync store, in batches, as one
 * n8n worker would, and reports how many links it created and updated.
 *
 * Plain JavaScript so it runs without a build: it compiles the store's TypeScript on the fly with the
 * project's own `typescript` (transpile only), so it always tests the current sources, independent of
 * dist/ and of whatever else in the repository is being edited.
 *
 * Protocol (process.send): parent passes the job in AXION_WORKER_JOB; the worker opens the store and
 * sends {type:'ready'}, waits for {type:'go'}, runs, sends {type:'done', created, updated, errors}.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	module._compile(outputText, filename);
};

const { openSyncStore, closeAllSyncStores } = require(path.join(__dirname, '..', '..', 'nodes', 'shared', 'sync', 'index.ts'));

async function main() {
	const job = JSON.parse(process.env.AXION_WORKER_JOB || '{}');
	const store = await openSyncStore(job.config);
	process.send({ type: 'ready' });
	await new Promise((resolve) => process.on('message', (m) => m && m.type === 'go' && resolve()));

	let created = 0;
	let updated = 0;
	const errors = [];
	const keys = [];
	for (let j = 0; j < job.count; j++) keys.push((job.start + j) % job.modulo);
	for (let b = 0; b < keys.length; b += job.batch) {
		const inputs = keys.slice(b, b + job.batch).map((k) => ({
			provider: 'bitbucket',
			sourceTable: 'def_project',
			sourceKey: `key-${k}`,
			externalId: `pr-${k}-w${job.worker}`,
			externalType: 'pullrequest',
			status: 'synced',
		}));
		try {
			const results = await store.link(inputs);
			for (const r of results) {
				if (r.created) created++;
				else updated++;
			}
		} catch (error) {
			errors.push(String(error && error.message ? error.message : error));
		}
	}
	await closeAllSyncStores();
	process.send({ type: 'done', created, updated, errors });
}

main().catch((error) => {
	process.send({ type: 'done', created: 0, updated: 0, errors: [`worker crashed: ${error && error.stack ? error.stack : error}`] });
});
