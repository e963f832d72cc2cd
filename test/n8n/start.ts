/**
 * `node dist/test/n8n/start.js [--port=5678] [--listen=127.0.0.1] [--user-folder=DIR] [--fresh]`: a local n8n editor (2.41.1,
 * installed into the user cache on first use) with this package installed as a community package.
 * Build first (`npm run build`). The user folder is kept between runs (default:
 * `<cache>/dev-instance`), so workflows and credentials stay; the package is reinstalled on every start.
 * Ctrl-C stops n8n.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { defaultCacheRoot, N8N_VERSION } from './install';
import { N8nInstance } from './instance';

function flag(name: string): string | undefined {
	const prefix = `--${name}=`;
	const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(prefix));
	if (arg === undefined) return undefined;
	return arg.startsWith(prefix) ? arg.slice(prefix.length) : '';
}

async function main(): Promise<void> {
	const port = Number(flag('port') ?? process.env.PORT ?? 5678);
	if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Invalid port ${String(port)}`);
	const userFolder = flag('user-folder') || join(defaultCacheRoot(), 'dev-instance');
	if (flag('fresh') !== undefined) rmSync(userFolder, { recursive: true, force: true });

	const log = (line: string) => console.log(line);
	const n8n = await N8nInstance.create({ userFolder, log });
	for (const error of n8n.loadErrors()) log(`[n8n] LOAD ERROR (earlier runs included): ${error}`);
	await n8n.start({ port, listenAddress: flag('listen') || '127.0.0.1' });
	await n8n.login();
	const { email, password } = N8nInstance.owner;
	log('');
	log(`n8n ${N8N_VERSION} with ${n8n.packageName ?? 'no package'} is running: http://localhost:${port}`);
	log(`  sign in as ${email} / ${password}`);
	log(`  user folder: ${n8n.root} (logs in ${n8n.logDir})`);
	log('  Ctrl-C to stop');

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		log(`\n${signal}: stopping n8n…`);
		void n8n.dispose().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await n8n.waitForServerExit();
	if (!stopping) {
		console.error(n8n.failure('n8n stopped on its own').message);
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
