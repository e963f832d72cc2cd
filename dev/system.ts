/**
 * What the throwaway servers of the tests share (PostgreSQL, Redis, n8n): running a command, knowing whether we
 * are root, a free port, and installing a Debian package once (an install lock serialises concurrent test processes; dpkg takes
 * one at a time anyway).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
	stdout: string;
	stderr: string;
}

export function run(command: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{ timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, env: options.env ?? process.env },
			(error, stdout, stderr) => {
				if (error) {
					reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}\n${stdout}`.trim()));
				} else {
					resolve({ stdout: String(stdout), stderr: String(stderr) });
				}
			},
		);
	});
}

export function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port'))));
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` while holding a lock directory shared by every test process of this machine. */
export async function withInstallLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const lock = join(tmpdir(), `axion-${name}-install.lock`);
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		rmdirSync(lock);
	}
}

/**
 * Installs Debian packages (`apt-get update`, then `apt-get install -y --no-install-recommends`) unless
 * `installed()` already says yes; as root only, with a clear error otherwise.
 */
export async function aptInstall(packages: string[], installed: () => boolean): Promise<void> {
	await withInstallLock(packages.join('-'), async () => {
		if (installed()) return;
		if (!isRoot()) throw new Error(`${packages.join(', ')} is not installed and this process is not root: run \`apt-get install -y ${packages.join(' ')}\` first.`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		await run('apt-get', ['update'], { timeoutMs: 10 * 60_000, env });
		await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { timeoutMs: 15 * 60_000, env });
		if (!installed()) throw new Error(`apt-get installed ${packages.join(', ')}, but it is still not found`);
	});
}
