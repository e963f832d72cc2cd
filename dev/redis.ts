/**
 * A throwaway Redis server for the queue-mode tests: Debian's `redis-server` (installed with apt when missing,
 * as root), on 127.0.0.1 and a free port, nothing saved to disk. Throws (so tests fail rather than skip) when it
 * cannot be started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { aptInstall, freePort, sleep } from './system';

export interface RedisServer {
	host: string;
	port: number;
	stop(): Promise<void>;
}

const BINARY_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];

function findRedis(): string | undefined {
	return BINARY_DIRS.map((dir) => join(dir, 'redis-server')).find((file) => existsSync(file));
}


/** Whether Redis answers PING on the port. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		socket.setTimeout(1_000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.on('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.on('error', () => resolve(false));
	});
}

export async function startRedis(): Promise<RedisServer> {
	await aptInstall(['redis-server'], () => findRedis() !== undefined);
	const binary = findRedis() as string;
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'axion-redis-'));
	const child: ChildProcess = spawn(
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--loglevel', 'warning'],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	let exited = false;
	const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
	const deadline = Date.now() + 20_000;
	while (!(await ping(port))) {
		if (exited || Date.now() > deadline) {
			child.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
			throw new Error(`redis-server did not start on port ${port}: ${stderr.trim() || 'no answer to PING'}`);
		}
		await sleep(100);
	}
	return {
		host: '127.0.0.1',
		port,
		stop: async () => {
			if (!exited) child.kill('SIGTERM');
			await Promise.race([exit, sleep(5_000)]);
			if (!exited) child.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
