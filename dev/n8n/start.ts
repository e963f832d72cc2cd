/**
 * The demo, one command (`npm start` = `npm run build && node dist-dev/dev/n8n/start.js`):
 *
 *   node dist-dev/dev/n8n/start.js [--port=5678] [--listen=127.0.0.1] [--user-folder=DIR] [--fresh]
 *                               [--sandbox-port=5690] [--reimport] [--workspace=SLUG --repo=SLUG]
 *
 * 1. installs n8n 2.41.1 into the user cache on first use (several minutes), then reuses it;
 * 2. installs this package into the instance as a community package (built first: `npm run build`);
 * 3. starts the Bitbucket sandbox (dev/sandbox) in this process, unless real Bitbucket credentials are in the
 *    environment (AXION_BITBUCKET_EMAIL + AXION_BITBUCKET_API_TOKEN, or AXION_BITBUCKET_ACCESS_TOKEN, or the
 *    legacy AXION_BITBUCKET_USERNAME + AXION_BITBUCKET_APP_PASSWORD; with AXION_BITBUCKET_WORKSPACE,
 *    AXION_BITBUCKET_REPO (or --workspace / --repo) and optionally AXION_BITBUCKET_BASE_URL);
 * 4. imports the credentials `bitbucket-sandbox` (Bitbucket Cloud API: the sandbox, or real Bitbucket) and
 *    `axion-sqlite` (Axion Database: an SQLite file in the instance's n8n folder), and the three example
 *    workflows of examples/workflows;
 * 5. starts the editor on http://localhost:5678 and prints what to open and the owner login.
 *
 * The user folder (default `<cache>/dev-instance`) is kept between runs, so workflows, credentials, executions
 * and the SQLite sync table stay. Credentials and example workflows are imported again only when they changed
 * (a new sandbox port, other environment variables, an edited example file) so edits made in the editor
 * survive a restart; `--reimport` forces it, `--fresh` starts from an empty folder. The sandbox is in memory:
 * it is reseeded on every start. Ctrl-C stops n8n and the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError } from '../../lib/cli/config';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials';
import { startSandbox, type Sandbox } from '../sandbox/server';
import {
	axionDemoCredential,
	bitbucketDemoCredential,
	describeTarget,
	loadExampleWorkflows,
	realBitbucketFromEnv,
	sha256,
	type BitbucketTarget,
} from './demo';
import { defaultCacheRoot, N8N_VERSION } from './install';
import { N8nInstance } from './instance';

/** Default port of the embedded sandbox: fixed, so the stored credential stays valid between runs. */
const DEFAULT_SANDBOX_PORT = 5690;
const STATE_FILE = '.axion-demo.json';

interface DemoState {
	/** Random, per user folder: the credentials' hash below is salted (it covers the Bitbucket token). */
	salt?: string;
	credentials?: string;
	workflows?: Record<string, string>;
}

function flag(name: string): string | undefined {
	const prefix = `--${name}=`;
	const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(prefix));
	if (arg === undefined) return undefined;
	return arg.startsWith(prefix) ? arg.slice(prefix.length) : '';
}

function portFlag(name: string, fallback: number): number {
	const raw = flag(name);
	const port = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`Invalid --${name}: ${String(raw)}`);
	return port;
}

function readState(file: string): DemoState {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as DemoState;
	} catch {
		return {};
	}
}

/** The sandbox on the preferred port, or on any free port when that one is taken. */
async function startEmbeddedSandbox(port: number, log: (line: string) => void): Promise<Sandbox> {
	try {
		return await startSandbox({ port, host: '127.0.0.1' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
		log(`[demo] port ${port} is taken: the sandbox uses a free port instead (the credential is updated)`);
		return await startSandbox({ port: 0, host: '127.0.0.1' });
	}
}

async function main(): Promise<void> {
	const started = Date.now();
	const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
	const log = (line: string) => console.log(line);

	const port = portFlag('port', Number(process.env.PORT || 5678));
	if (port === 0) throw new ConfigError('--port must not be 0');
	const sandboxPort = portFlag('sandbox-port', DEFAULT_SANDBOX_PORT);
	const userFolder = flag('user-folder') || join(defaultCacheRoot(), 'dev-instance');
	const fresh = flag('fresh') !== undefined;
	const reimport = flag('reimport') !== undefined;

	// Decide the Bitbucket target before anything slow: half a real configuration fails here, with the variable to set.
	const real = realBitbucketFromEnv(process.env, { workspace: flag('workspace'), repo: flag('repo') });

	log(`[demo] n8n ${N8N_VERSION} + n8n-nodes-axion-bitbucket + ${real ? 'real Bitbucket Cloud' : 'the Bitbucket sandbox'}`);
	log(`[demo] n8n is installed once into ${defaultCacheRoot()} (the first run takes several minutes, later runs seconds)`);
	if (fresh) {
		log(`[demo] --fresh: removing ${userFolder}`);
		rmSync(userFolder, { recursive: true, force: true });
	}

	const n8n = await N8nInstance.create({ userFolder, log });
	log(`[demo] n8n ready, package installed into ${n8n.packageInstallDir ?? '?'} (${elapsed()})`);

	let sandbox: Sandbox | undefined;
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		log(`\n${signal}: stopping n8n${sandbox ? ' and the Bitbucket sandbox' : ''}…`);
		void (async () => {
			await n8n.dispose().catch(() => undefined);
			await sandbox?.close().catch(() => undefined);
			process.exit(0);
		})();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	let target: BitbucketTarget;
	if (real) {
		target = { kind: 'real', config: real };
	} else {
		sandbox = await startEmbeddedSandbox(sandboxPort, log);
		target = { kind: 'sandbox', baseUrl: sandbox.baseUrl };
		log(`[demo] Bitbucket sandbox listening on ${sandbox.baseUrl} (${elapsed()})`);
	}

	const sqliteFile = join(n8n.n8nFolder, 'axion-sync.sqlite');
	const credentials = [bitbucketDemoCredential(target), axionDemoCredential({ sqliteFile })];
	const examples = loadExampleWorkflows();
	const stateFile = join(n8n.root, STATE_FILE);
	const state = reimport || !existsSync(join(n8n.n8nFolder, 'database.sqlite')) ? {} : readState(stateFile);

	state.salt ??= randomBytes(16).toString('hex');
	const credentialsHash = sha256(state.salt + JSON.stringify(credentials));
	if (state.credentials !== credentialsHash) {
		await n8n.importCredentials(credentials);
		state.credentials = credentialsHash;
		writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
		log(`[demo] imported the credentials ${credentials.map((c) => `"${c.name}"`).join(' and ')} (${elapsed()})`);
	} else {
		log('[demo] credentials unchanged since the last start: kept');
	}

	const changed = examples.filter((e) => state.workflows?.[e.file] !== e.hash);
	if (changed.length > 0) {
		await n8n.importWorkflows(changed.map((e) => e.workflow));
		state.workflows = { ...state.workflows, ...Object.fromEntries(changed.map((e) => [e.file, e.hash])) };
		writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
		log(`[demo] imported ${changed.length} example workflow(s): ${changed.map((e) => `"${e.workflow.name}"`).join(', ')} (${elapsed()})`);
	} else {
		log('[demo] example workflows unchanged since the last start: kept (your edits stay; --reimport restores them)');
	}

	for (const error of n8n.loadErrors()) log(`[demo] LOAD ERROR (earlier runs included): ${error}`);
	await n8n.start({ port, listenAddress: flag('listen') || '127.0.0.1' });
	await n8n.login();

	const { email, password } = N8nInstance.owner;
	const base = `http://localhost:${port}`;
	const nameWidth = Math.max(...examples.map((e) => e.workflow.name.length)) + 2;
	const lines = [
		'',
		`Ready in ${elapsed()}. Open ${base} and sign in as ${email} / ${password}`,
		'',
		'Example workflows (open one, then "Execute workflow"; a workflow that starts with a trigger listens once you publish it):',
		...examples.map((e) => `  ${e.workflow.name.padEnd(nameWidth)} ${base}/workflow/${e.workflow.id}`),
		'',
		`Bitbucket: ${describeTarget(target)}`,
		...(real
			? ['  The example workflows act on that repository when you execute them.']
			: [
					`  workspace/repository ${SANDBOX_CREDENTIALS.workspace}/${SANDBOX_CREDENTIALS.repo}, reseeded on every start; requests made: ${sandbox?.origin}/_sandbox/requests`,
				]),
		`Axion sync table: def_integration_sync in ${sqliteFile}`,
		`n8n user folder: ${n8n.root} (logs in ${n8n.logDir})`,
		'',
		`Ctrl-C stops n8n${sandbox ? ' and the sandbox' : ''}.`,
	];
	log(lines.join('\n'));

	await n8n.waitForServerExit();
	if (!stopping) {
		console.error(n8n.failure('n8n stopped on its own').message);
		await sandbox?.close().catch(() => undefined);
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error instanceof Error ? error.message : error);
	process.exit(1);
});
