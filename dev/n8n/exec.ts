/**
 * Small process helpers for driving npm and n8n from the e2e tests: run a command with its output kept in a
 * log file (and in memory), find a free port, read the tail of a log. No n8n imports: plain Node.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Appends a `$ command` header plus stdout and stderr to this file as they arrive. */
	logFile?: string;
	/** Kills the whole process group after this many milliseconds (default: no limit). */
	timeoutMs?: number;
	/**
	 * Send stdout straight to this file instead of a pipe, and read it back when the command has exited. A process
	 * that prints a large result and exits at once (`n8n execute --rawOutput`) can lose the tail of what it wrote to
	 * a pipe; writes to a file are synchronous and complete, whatever the size.
	 */
	stdoutFile?: string;
}

export interface RunResult {
	command: string;
	code: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export class CommandError extends Error {
	constructor(
		message: string,
		readonly result: RunResult,
	) {
		super(message);
		this.name = 'CommandError';
	}
}

function appendLog(logFile: string | undefined, text: string): void {
	if (!logFile) return;
	mkdirSync(dirname(logFile), { recursive: true });
	appendFileSync(logFile, text);
}

function quote(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function describeCommand(file: string, args: readonly string[]): string {
	return [file, ...args].map(quote).join(' ');
}

/**
 * Runs a command to completion. The child stays in this process's group, so a Ctrl-C in the terminal reaches
 * it too (an interrupted test run leaves no npm or n8n behind).
 */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
	const command = describeCommand(file, args);
	const started = Date.now();
	appendLog(options.logFile, `\n$ ${command}\n# cwd: ${options.cwd ?? process.cwd()}  at ${new Date(started).toISOString()}\n`);
	let stdoutFd: number | undefined;
	if (options.stdoutFile) {
		mkdirSync(dirname(options.stdoutFile), { recursive: true });
		stdoutFd = openSync(options.stdoutFile, 'w');
	}
	return new Promise((resolve, reject) => {
		const child = spawn(file, [...args], {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
		});
		if (stdoutFd !== undefined) closeSync(stdoutFd);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => {
			out.push(chunk);
			appendLog(options.logFile, chunk.toString('utf8'));
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			err.push(chunk);
			appendLog(options.logFile, chunk.toString('utf8'));
		});
		let timedOut = false;
		let timer: NodeJS.Timeout | undefined;
		if (options.timeoutMs !== undefined) {
			timer = setTimeout(() => {
				timedOut = true;
				signalProcess(child.pid, 'SIGTERM');
				setTimeout(() => signalProcess(child.pid, 'SIGKILL'), 5_000).unref();
			}, options.timeoutMs);
		}
		child.on('error', (error) => {
			if (timer) clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			const durationMs = Date.now() - started;
			let stdout = Buffer.concat(out).toString('utf8');
			if (options.stdoutFile) {
				stdout = readFileSync(options.stdoutFile, 'utf8');
				appendLog(options.logFile, `# stdout (${stdout.length} characters) in ${options.stdoutFile}\n${tailLines(stdout, 20)}\n`);
			}
			appendLog(
				options.logFile,
				`# exit ${code ?? signal}${timedOut ? ' (timed out)' : ''} after ${(durationMs / 1000).toFixed(1)} s\n`,
			);
			resolve({
				command,
				code,
				signal,
				timedOut,
				stdout,
				stderr: Buffer.concat(err).toString('utf8'),
				durationMs,
			});
		});
	});
}

/** Like runCommand, but rejects with the tail of the output when the command does not exit 0. */
export async function runChecked(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
	const result = await runCommand(file, args, options);
	if (result.code !== 0) {
		const output = `${result.stdout}\n${result.stderr}`;
		throw new CommandError(
			`Command failed (${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`}): ${result.command}` +
				(options.logFile ? `\nFull log: ${options.logFile}` : '') +
				`\n--- last lines ---\n${tailLines(output, 40)}`,
			result,
		);
	}
	return result;
}

/** Sends a signal to one process, ignoring a process that is already gone. */
export function signalProcess(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

/** The last `lines` lines of a text, each cut to `width` characters (n8n's JSON log lines can be huge). */
export function tailLines(text: string, lines: number, width = 600): string {
	const all = text.replace(/\s+$/, '').split('\n');
	return all
		.slice(Math.max(0, all.length - lines))
		.map((line) => (line.length > width ? `${line.slice(0, width)} …[${line.length - width} more characters]` : line))
		.join('\n');
}

/** The last lines of a file, or '' when it does not exist. */
export function tailFile(file: string, lines = 40): string {
	if (!existsSync(file)) return '';
	return tailLines(readFileSync(file, 'utf8'), lines);
}


/** The repository root: the nearest parent folder (of `from`, else of this file, else of the cwd) whose package.json is this package. */
export function findPackageRoot(from?: string, name = 'n8n-nodes-axion-bitbucket'): string {
	const starts = from ? [from] : [__dirname, process.cwd()];
	for (const start of starts) {
		const found = searchUp(start, name);
		if (found) return found;
	}
	throw new Error(`Could not find the ${name} package root above ${starts.join(' or ')}`);
}

function searchUp(start: string, name: string): string | undefined {
	let dir = start;
	for (;;) {
		const candidate = join(dir, 'package.json');
		if (existsSync(candidate)) {
			try {
				const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
				if (pkg.name === name) return dir;
			} catch {
				// not JSON: keep looking
			}
		}
		const parent = dirname(dir);
		if (parent === dir) return undefined;
		dir = parent;
	}
}

/** Environment for child npm processes: drops the variables a parent `npm run` sets for its own package. */
export function cleanNpmEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(base)) {
		const lower = key.toLowerCase();
		if (
			lower.startsWith('npm_package_') ||
			lower.startsWith('npm_lifecycle_') ||
			lower === 'npm_config_local_prefix' ||
			lower === 'npm_config_prefix' ||
			lower === 'npm_config_global' ||
			lower === 'npm_config_ignore_scripts' ||
			lower === 'npm_config_nodedir' ||
			lower === 'npm_command' ||
			lower === 'init_cwd'
		) {
			continue;
		}
		env[key] = value;
	}
	return env;
}
