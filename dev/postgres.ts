/**
 * A throwaway PostgreSQL server for tests and benchmarks: Debian's packaged binaries, a fresh data
 * directory in a temporary folder, listening on 127.0.0.1 on a free port, password (SCRAM) authentication.
 *
 * If no PostgreSQL is installed, it runs `apt-get update` and `apt-get install -y postgresql` (as root).
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user. It throws
 * (so tests fail rather than skip) whenever the server cannot be started.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { aptInstall, freePort, isRoot, run, type RunResult } from './system';

export interface PostgresServer {
	url: string;
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	/** PostgreSQL version, e.g. `15`. */
	version: string;
	stop(): Promise<void>;
}

export interface StartPostgresOptions {
	/** Keep fsync and synchronous commit on (benchmarks); default off, which is faster for tests. */
	durable?: boolean;
	/** Database to create; default `axion_test`. */
	database?: string;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
const OS_USER = 'postgres';

/** The newest installed server's bin directory, or undefined. */
function findBinDir(): string | undefined {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((v) => existsSync(join(POSTGRES_ROOT, v, 'bin', 'initdb')) && existsSync(join(POSTGRES_ROOT, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

async function installPostgres(): Promise<string> {
	await aptInstall(['postgresql'], () => findBinDir() !== undefined);
	const bin = findBinDir();
	if (!bin) throw new Error(`No PostgreSQL server binaries under ${POSTGRES_ROOT}/*/bin`);
	return bin;
}

async function ensureOsUser(): Promise<void> {
	try {
		await run('id', ['-u', OS_USER]);
	} catch {
		await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
	}
}

async function osUserIds(): Promise<{ uid: number; gid: number }> {
	const uid = Number((await run('id', ['-u', OS_USER])).stdout.trim());
	const gid = Number((await run('id', ['-g', OS_USER])).stdout.trim());
	return { uid, gid };
}

/** Runs a PostgreSQL binary, as the postgres OS user when we are root. */
function runAsServerUser(binary: string, args: string[], timeoutMs?: number): Promise<RunResult> {
	return isRoot() ? run('runuser', ['-u', OS_USER, '--', binary, ...args], { timeoutMs }) : run(binary, args, { timeoutMs });
}


const running = new Set<{ dir: string; pidFile: string }>();
let exitHookInstalled = false;

/** If a test process exits without stop(), the server goes with it. */
function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const server of running) {
			try {
				const pid = Number(readFileSync(server.pidFile, 'utf8').split('\n')[0]);
				if (pid > 0) process.kill(pid, 'SIGQUIT');
			} catch {
				// Already gone.
			}
			try {
				rmSync(server.dir, { recursive: true, force: true });
			} catch {
				// Best effort.
			}
		}
	});
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
	const bin = findBinDir() ?? (await installPostgres());
	const version = bin.split('/').slice(-2, -1)[0];
	if (isRoot()) await ensureOsUser();

	const dir = mkdtempSync(join(tmpdir(), 'axion-pg-'));
	const data = join(dir, 'data');
	const pwfile = join(dir, 'pwfile');
	const log = join(dir, 'server.log');
	const user = 'axion';
	const password = `pw-${randomBytes(12).toString('hex')}`;
	const database = options.database ?? 'axion_test';
	writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
	chmodSync(dir, 0o700);
	if (isRoot()) {
		const { uid, gid } = await osUserIds();
		chownSync(dir, uid, gid);
		chownSync(pwfile, uid, gid);
	}

	const server = { dir, pidFile: join(data, 'postmaster.pid') };
	let started = false;
	try {
		await runAsServerUser(join(bin, 'initdb'), [
			'-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--no-sync', '--encoding=UTF8', '--no-locale',
		]);
		rmSync(pwfile, { force: true });

		const settings = [
			'-c listen_addresses=127.0.0.1',
			`-c unix_socket_directories=${dir}`,
			'-c max_connections=100',
			'-c shared_buffers=64MB',
			...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
		];
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			try {
				await runAsServerUser(
					join(bin, 'pg_ctl'),
					['-D', data, '-l', log, '-w', '-t', '60', '-o', `${settings.join(' ')} -p ${port}`, 'start'],
					90_000,
				);
			} catch (error) {
				// Another process may have taken the port between the probe and the start.
				const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
				if (attempt < 3 && /could not bind|address already in use/i.test(text)) continue;
				throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${text}`);
			}
			started = true;
			running.add(server);
			installExitHook();

			const admin = new Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
			await admin.connect();
			try {
				await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
			} finally {
				await admin.end();
			}

			let stopped = false;
			return {
				url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
				host: '127.0.0.1',
				port,
				user,
				password,
				database,
				version,
				stop: async () => {
					if (stopped) return;
					stopped = true;
					try {
						await runAsServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], 60_000);
					} finally {
						running.delete(server);
						rmSync(dir, { recursive: true, force: true });
					}
				},
			};
		}
	} catch (error) {
		if (started) {
			await runAsServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
			running.delete(server);
		}
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}
