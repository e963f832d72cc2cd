/**
 * A throwaway n8n instance (its own user folder, SQLite database, logs) with this package installed the way
 * n8n installs community packages: `npm pack` of the repository, extracted into
 * `<user folder>/.n8n/nodes/node_modules/<package name>`, runtime dependencies installed there with
 * `npm install --omit=dev --omit=peer --ignore-scripts` (the flags n8n's CommunityPackagesService uses).
 *
 * Drives the real n8n CLI (`import:credentials`, `import:workflow`, `execute`, `export:nodes`) and, for what
 * only the server offers (credential tests, the types the editor sees), a long-running `n8n start` with an
 * owner account set up through the REST API.
 *
 * Every command's output is appended to `<root>/logs/commands.log`; n8n's own file log is `<root>/logs/n8n.log`.
 * Errors carry the tail of both. Set AXION_N8N_KEEP=1 to keep the folder after dispose() for debugging.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import type { ICredentialType, IDataObject, INodeExecutionData, INodeTypeDescription, IRun, IRunData } from 'n8n-workflow';

import { freePort } from '../system';
import { cleanNpmEnv, findPackageRoot, signalProcess, runChecked, runCommand, tailFile, tailLines, type RunResult } from './exec';
import { ensureN8n, npmCommand, type N8nInstallation } from './install';

/** Fixed so that credentials imported in one command can be decrypted by the next. Test-only. */
export const TEST_ENCRYPTION_KEY = 'axion-bitbucket-e2e-test-encryption-key';

export interface N8nCredential {
	/** n8n accepts any string id; keep it short (workflows reference it). */
	id: string;
	name: string;
	type: string;
	/** Plain values: n8n encrypts them on import. */
	data: IDataObject;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
	continueOnFail?: boolean;
	onError?: 'continueErrorOutput' | 'continueRegularOutput' | 'stopWorkflow';
	/** Trigger nodes with webhooks: the id in their URL (`/webhook/<webhookId>/…`). */
	webhookId?: string;
}

export interface WorkflowConnection {
	node: string;
	type: 'main';
	index: number;
}

export interface WorkflowDefinition {
	/** At most 21 characters (n8n's id column). */
	id: string;
	name: string;
	nodes: WorkflowNode[];
	/** Source node name → { main: [output index → targets] }. */
	connections: Record<string, { main: WorkflowConnection[][] }>;
	active?: boolean;
	settings?: IDataObject;
}

export interface ExecutionError {
	message: string;
	description?: string;
	/** Name of the node that failed, when n8n says. */
	node?: string;
	/** The error object as n8n serialised it. */
	raw: unknown;
}

export interface ExecutionResult {
	/** Exit code of `n8n execute` (0 success, 1 failure). */
	exitCode: number | null;
	/** Exit 0 and no error in the run data. */
	ok: boolean;
	/** The run n8n printed (IRun), when it printed one. */
	run?: IRun;
	/** `run.data.resultData.runData`, or {} when there is no run. */
	runData: IRunData;
	/** The workflow-level error, when the execution failed. */
	error?: ExecutionError;
	/** Items of one node's output (`runData[node][runIndex].data.main[outputIndex]`), [] when absent. */
	items(node: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The `json` of those items. */
	json(node: string, outputIndex?: number, runIndex?: number): IDataObject[];
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface InstanceOptions {
	/**
	 * Folder of the package to install as a community package (default: this repository). Must be built
	 * (`npm run build`). `false` installs no package.
	 */
	packageDir?: string | false;
	/** Progress lines (default: console.log). */
	log?: (line: string) => void;
	/** An installation to use (default: ensureN8n()). */
	installation?: N8nInstallation;
	/** Extra environment for every n8n command. */
	env?: Record<string, string>;
	/** Parent folder for a new throwaway instance folder (default: the OS temp folder). */
	parentDir?: string;
	/**
	 * Use this folder as N8N_USER_FOLDER instead of a new temporary one, and keep it on dispose() (a dev editor
	 * that keeps its workflows). The package is reinstalled into it on every create().
	 */
	userFolder?: string;
}

export interface StartOptions {
	/** HTTP port (default: a free one). */
	port?: number;
	/** How long to wait for /healthz/readiness (default 120 s). */
	timeoutMs?: number;
	/** N8N_LISTEN_ADDRESS (default 127.0.0.1: nothing outside this machine can reach the test instance). */
	listenAddress?: string;
}

const OWNER = { email: 'owner@axion.test', firstName: 'Axion', lastName: 'Tester', password: 'Axion-e2e-Passw0rd' };
const BROWSER_ID = 'axion-e2e-browser';

/** What n8n logs when a community package (or one of its files) fails to load. */
const PACKAGE_LOAD_ERROR =
	/Failed to load package|Skipping package|Class could not be found|There was an error loading|Error loading package/i;

/** Servers still running: killed if this process exits without stop() (a test run that forgot dispose()). */
const liveServers = new Set<number>();
let exitHookInstalled = false;
function trackServer(pid: number): void {
	liveServers.add(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const pid of liveServers) signalProcess(pid, 'SIGTERM');
	});
}

export class N8nInstance {
	private server: ChildProcess | undefined;
	private serverExit: Promise<void> | undefined;
	private serverPort: number | undefined;
	private cookie: string | undefined;
	private disposed = false;
	private commandSerial = 0;

	private constructor(
		readonly installation: N8nInstallation,
		/** The instance folder (N8N_USER_FOLDER); n8n's own folder is `<root>/.n8n`. */
		readonly root: string,
		/** Name of the installed community package, if any. */
		readonly packageName: string | undefined,
		private readonly extraEnv: Record<string, string>,
		private readonly log: (line: string) => void,
		/** A caller-provided folder: dispose() keeps it. */
		private readonly persistent = false,
	) {}

	get n8nFolder(): string {
		return join(this.root, '.n8n');
	}

	get logDir(): string {
		return join(this.root, 'logs');
	}

	/** n8n's own file log (N8N_LOG_OUTPUT=console,file). */
	get n8nLogFile(): string {
		return join(this.logDir, 'n8n.log');
	}

	/** Console output of every command run for this instance. */
	get commandLogFile(): string {
		return join(this.logDir, 'commands.log');
	}

	get serverLogFile(): string {
		return join(this.logDir, 'server.log');
	}

	/** Where the package was installed (`.n8n/nodes/node_modules/<name>`), if any. */
	get packageInstallDir(): string | undefined {
		return this.packageName ? join(this.n8nFolder, 'nodes', 'node_modules', this.packageName) : undefined;
	}

	/** The process id of the server start() runs, if it runs. */
	get serverPid(): number | undefined {
		return this.server?.pid;
	}

	get baseUrl(): string {
		if (this.serverPort === undefined) throw new Error('n8n is not started: call start() first');
		return `http://localhost:${this.serverPort}`;
	}

	static async create(options: InstanceOptions = {}): Promise<N8nInstance> {
		const log = options.log ?? ((line: string) => console.log(line));
		const installation = options.installation ?? (await ensureN8n({ log }));
		let root: string;
		if (options.userFolder) {
			root = options.userFolder;
			mkdirSync(root, { recursive: true });
			rmSync(join(root, 'work'), { recursive: true, force: true });
		} else {
			const parent = options.parentDir ?? tmpdir();
			mkdirSync(parent, { recursive: true });
			root = mkdtempSync(join(parent, 'axion-n8n-'));
		}
		mkdirSync(join(root, '.n8n', 'nodes', 'node_modules'), { recursive: true });
		mkdirSync(join(root, 'logs'), { recursive: true });
		mkdirSync(join(root, 'work'), { recursive: true });

		let packageName: string | undefined;
		const packageDir = options.packageDir === undefined ? findPackageRoot() : options.packageDir;
		if (packageDir !== false) {
			try {
				packageName = await installCommunityPackage({
					packageDir,
					nodesDir: join(root, '.n8n', 'nodes'),
					workDir: join(root, 'work'),
					nodeBin: installation.nodeBin,
					logFile: join(root, 'logs', 'commands.log'),
				});
			} catch (error) {
				if (!options.userFolder && process.env.AXION_N8N_KEEP !== '1') rmSync(root, { recursive: true, force: true });
				throw error;
			}
		}
		return new N8nInstance(installation, root, packageName, options.env ?? {}, log, options.userFolder !== undefined);
	}

	/**
	 * The environment every n8n command of this instance runs with (plus, per command, a free
	 * N8N_RUNNERS_BROKER_PORT: the task broker listens on 5679 by default, which parallel instances would share).
	 */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const env = cleanNpmEnv();
		for (const key of Object.keys(env)) {
			// An n8n configured in the developer's shell must not leak into the throwaway instance.
			if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|WEBHOOK_URL$)/.test(key)) delete env[key];
		}
		// Jest sets NODE_ENV=test, and n8n's commands then refuse to run ("Not available in tests") with exit 0.
		if (env.NODE_ENV === 'test') delete env.NODE_ENV;
		delete env.JEST_WORKER_ID;
		return {
			...env,
			// n8n spawns its JavaScript task runner as `node` from PATH: it must find Node 24, not the system node.
			PATH: [dirname(this.installation.nodeBin), env.PATH ?? ''].join(delimiter),
			N8N_USER_FOLDER: this.root,
			N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console,file',
			N8N_LOG_FILE_LOCATION: this.n8nLogFile,
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			NO_COLOR: '1',
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs `n8n <args>` with Node 24; resolves whatever the exit code. */
	async run(args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunResult> {
		this.assertUsable();
		const brokerPort = String(await freePort());
		return runCommand(this.installation.nodeBin, [this.installation.n8nBin, ...args], {
			cwd: this.root,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.env }),
			logFile: this.commandLogFile,
			timeoutMs: options.timeoutMs ?? 5 * 60_000,
			// n8n prints results (a whole run as JSON) on stdout: a file keeps every byte of it.
			stdoutFile: join(this.logDir, `stdout-${++this.commandSerial}.txt`),
		});
	}

	/** Runs `n8n <args>` and throws (with the log tails) unless it exits 0. */
	async runOk(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
		const result = await this.run(args, options);
		if (result.code !== 0) throw this.failure(`n8n ${args.join(' ')} exited ${result.code ?? result.signal}`, result);
		return result;
	}

	async importCredentials(credentials: readonly N8nCredential[]): Promise<void> {
		const file = this.writeWork(`credentials-${Date.now()}.json`, credentials);
		await this.runOk(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows: readonly WorkflowDefinition[]): Promise<void> {
		for (const workflow of workflows) {
			if (workflow.id.length > 21) throw new Error(`Workflow id "${workflow.id}" is longer than 21 characters`);
		}
		const file = this.writeWork(
			`workflows-${Date.now()}.json`,
			workflows.map((w) => ({ active: false, settings: {}, ...w })),
		);
		await this.runOk(['import:workflow', `--input=${file}`]);
	}

	/** A stored credential, decrypted (`n8n export:credentials --decrypted`): what n8n holds now, e.g. after a token refresh. */
	async exportCredential(id: string): Promise<N8nCredential> {
		const file = join(this.root, 'work', `credential-${id}-${Date.now()}.json`);
		const result = await this.runOk(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
		if (!existsSync(file)) throw this.failure(`n8n export:credentials wrote no ${file}`, result);
		const exported = JSON.parse(readFileSync(file, 'utf8')) as N8nCredential[] | N8nCredential;
		rmSync(file, { force: true });
		const credential = Array.isArray(exported) ? exported[0] : exported;
		if (!credential) throw this.failure(`n8n export:credentials --id=${id} exported nothing`, result);
		return credential;
	}

	/** `n8n execute --id=<id> --rawOutput`, parsed. Never throws for a failed execution: check `ok`/`error`. */
	async execute(workflowId: string, options: { timeoutMs?: number } = {}): Promise<ExecutionResult> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		const run = extractRun(result.stdout);
		if (!run && result.code === 0) {
			throw this.failure(`n8n execute --id=${workflowId} printed no run data`, result);
		}
		const runData: IRunData = run?.data?.resultData?.runData ?? {};
		const resultError = run?.data?.resultData?.error;
		let error: ExecutionError | undefined;
		if (resultError) {
			const raw = resultError as unknown as IDataObject;
			error = {
				message: String(raw.message ?? 'Unknown error'),
				description: typeof raw.description === 'string' ? raw.description : undefined,
				node: typeof raw.node === 'object' && raw.node !== null ? String((raw.node as IDataObject).name) : undefined,
				raw: resultError,
			};
		} else if (result.code !== 0) {
			const message =
				extractCliError(result) ??
				`n8n execute exited ${result.code ?? result.signal}:\n${tailLines(`${result.stdout}\n${result.stderr}`, 8)}`;
			error = { message, raw: undefined };
		}
		const items = (node: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] =>
			runData[node]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
		return {
			exitCode: result.code,
			ok: result.code === 0 && !error,
			run,
			runData,
			error,
			items,
			json: (node, outputIndex, runIndex) => items(node, outputIndex, runIndex).map((item) => item.json),
			stdout: result.stdout,
			stderr: result.stderr,
			durationMs: result.durationMs,
		};
	}

	/** The node descriptions n8n registered (`n8n export:nodes`). */
	async exportNodes(): Promise<INodeTypeDescription[]> {
		const file = join(this.root, 'work', `nodes-${Date.now()}.json`);
		const result = await this.runOk(['export:nodes', `--output=${file}`]);
		if (!existsSync(file)) throw this.failure(`n8n export:nodes wrote no ${file}`, result);
		return JSON.parse(readFileSync(file, 'utf8')) as INodeTypeDescription[];
	}

	/**
	 * The credential types n8n serves to the editor (`/types/credentials.json` of the running server).
	 * Starts the server for the call when it is not running.
	 */
	async credentialTypes(): Promise<ICredentialType[]> {
		const wasRunning = this.server !== undefined;
		if (!wasRunning) await this.start();
		try {
			return (await this.rest('GET', '/types/credentials.json')) as ICredentialType[];
		} finally {
			if (!wasRunning) await this.stop();
		}
	}

	/**
	 * Community-package load errors reported so far: from n8n's file log (JSON lines, with the cause) and from
	 * the console output of the commands run (plain lines). Empty when every package loaded.
	 */
	loadErrors(): string[] {
		const found: string[] = [];
		const messages = new Set<string>();
		const mentionsPackage = (text: string) => this.packageName !== undefined && text.includes(this.packageName);
		for (const file of [this.n8nLogFile, ...this.rotatedLogs()]) {
			if (!existsSync(file)) continue;
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				if (!line.startsWith('{')) continue;
				let entry: { level?: unknown; message?: unknown; metadata?: unknown };
				try {
					entry = JSON.parse(line) as typeof entry;
				} catch {
					continue;
				}
				if (entry.level !== 'error' && entry.level !== 'warn') continue;
				const message = String(entry.message ?? '');
				const fromLoader = mentionsPackage(line) && /load-nodes-and-credentials|directory-loader|scan-directory/.test(line);
				if (!PACKAGE_LOAD_ERROR.test(message) && !fromLoader) continue;
				const error = (entry.metadata as { error?: { cause?: unknown; message?: unknown } } | undefined)?.error;
				const cause = error?.cause ?? error?.message;
				messages.add(message.trim());
				found.push(cause === undefined ? message : `${message} (cause: ${String(cause)})`);
			}
		}
		for (const file of [this.commandLogFile, this.serverLogFile]) {
			if (!existsSync(file)) continue;
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				const text = line.trim();
				if (!PACKAGE_LOAD_ERROR.test(text) || messages.has(text)) continue;
				messages.add(text);
				found.push(text);
			}
		}
		return found;
	}

	/**
	 * Starts `n8n start` on a port and waits until it answers `/healthz` and `/healthz/readiness` (database
	 * migrated, routes registered: /healthz alone answers before the REST API exists).
	 */
	async start(options: StartOptions = {}): Promise<void> {
		this.assertUsable();
		if (this.server) throw new Error('n8n is already started');
		const port = options.port ?? (await freePort());
		const brokerPort = await freePort();
		const timeoutMs = options.timeoutMs ?? 120_000;
		mkdirSync(this.logDir, { recursive: true });
		const fd = openSync(this.serverLogFile, 'a');
		writeFileSync(this.serverLogFile, `\n# n8n start on port ${port} at ${new Date().toISOString()}\n`, { flag: 'a' });
		const child = spawn(this.installation.nodeBin, [this.installation.n8nBin, 'start'], {
			cwd: this.root,
			env: this.env({
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: options.listenAddress ?? '127.0.0.1',
				N8N_HOST: 'localhost',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			}),
			// Same process group: a Ctrl-C in the terminal stops n8n (and n8n stops its task runner) too.
			stdio: ['ignore', fd, fd],
		});
		closeSync(fd);
		if (child.pid !== undefined) trackServer(child.pid);
		this.server = child;
		this.serverPort = port;
		this.cookie = undefined;
		let exited = false;
		this.serverExit = new Promise<void>((resolve) => {
			child.on('exit', () => {
				exited = true;
				resolve();
			});
			child.on('error', () => {
				exited = true;
				resolve();
			});
		});

		const started = Date.now();
		for (;;) {
			if (exited) {
				if (child.pid !== undefined) liveServers.delete(child.pid);
				this.server = undefined;
				this.serverPort = undefined;
				throw this.failure(`n8n start exited before answering /healthz`);
			}
			if (Date.now() - started > timeoutMs) {
				await this.stop();
				throw this.failure(`n8n start was not ready (http://localhost:${port}/healthz/readiness) within ${timeoutMs / 1000} s`);
			}
			try {
				const response = await fetch(`http://localhost:${port}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
				if (response.ok) break;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		this.log(`[n8n] editor ready at http://localhost:${port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}

	/** Resolves when the server started by start() exits (at once when none is running). */
	async waitForServerExit(): Promise<void> {
		await this.serverExit;
	}

	/** The owner account start()/login() sets up (test-only credentials for the local editor). */
	static get owner(): { email: string; password: string } {
		return { email: OWNER.email, password: OWNER.password };
	}

	/** Stops the server started by start(): SIGTERM (n8n shuts down and stops its task runner), SIGKILL after 20 s. */
	async stop(): Promise<void> {
		const child = this.server;
		if (!child) return;
		const exit = this.serverExit;
		signalProcess(child.pid, 'SIGTERM');
		const killer = setTimeout(() => signalProcess(child.pid, 'SIGKILL'), 20_000);
		await exit;
		clearTimeout(killer);
		if (child.pid !== undefined) liveServers.delete(child.pid);
		this.server = undefined;
		this.serverExit = undefined;
		this.serverPort = undefined;
		this.cookie = undefined;
	}

	/** Creates (first call) and logs in the instance owner; later REST calls carry its session cookie. */
	async login(): Promise<void> {
		if (this.cookie) return;
		const setup = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify(OWNER),
		});
		let response = setup;
		if (!setup.ok) {
			// Owner already set up (server restarted): log in instead.
			response = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
		}
		if (!response.ok) {
			throw this.failure(`Could not set up or log in the n8n owner: HTTP ${response.status} ${await response.text()}`);
		}
		const cookie = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw this.failure('n8n did not set an n8n-auth cookie after owner setup/login');
		this.cookie = cookie;
	}

	/** A REST call to the running server as the owner; returns the body's `data` (or the body). */
	async rest(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
		await this.login();
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				cookie: this.cookie ?? '',
				'browser-id': BROWSER_ID,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw this.failure(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		const parsed = text ? (JSON.parse(text) as unknown) : undefined;
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'data' in parsed
			? (parsed as { data: unknown }).data
			: parsed;
	}

	/** Runs n8n's own credential test (what the editor's "Test" / "Retest" does) on a stored credential. */
	async testCredential(credential: N8nCredential): Promise<CredentialTestResult> {
		const result = (await this.rest('POST', '/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: credential.data },
		})) as Partial<CredentialTestResult> | undefined;
		return { status: result?.status === 'OK' ? 'OK' : 'Error', message: String(result?.message ?? '') };
	}

	/** Stops the server and deletes the instance folder (kept when AXION_N8N_KEEP=1). */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		await this.stop();
		this.disposed = true;
		if (this.persistent) return;
		if (process.env.AXION_N8N_KEEP === '1') {
			this.log(`[n8n] keeping ${this.root} (AXION_N8N_KEEP=1)`);
			return;
		}
		rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
	}

	/** An Error whose message ends with the tails of the command output and n8n's logs. */
	failure(message: string, result?: RunResult): Error {
		const parts = [message];
		if (result) parts.push(`--- output of ${result.command} ---\n${tailLines(`${result.stdout}\n${result.stderr}`, 30)}`);
		if (existsSync(this.serverLogFile)) parts.push(`--- ${this.serverLogFile} ---\n${tailFile(this.serverLogFile, 30)}`);
		parts.push(`--- ${this.n8nLogFile} ---\n${tailFile(this.n8nLogFile, 20)}`);
		return new Error(parts.join('\n'));
	}

	private rotatedLogs(): string[] {
		if (!existsSync(this.logDir)) return [];
		return readdirSync(this.logDir)
			.filter((name) => /^n8n\.\d+\.log$|^n8n\.log\.\d+$/.test(name))
			.map((name) => join(this.logDir, name));
	}

	private writeWork(name: string, data: unknown): string {
		const file = join(this.root, 'work', name);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	private assertUsable(): void {
		if (this.disposed) throw new Error('This n8n instance was disposed');
	}
}

/**
 * Installs a package folder as n8n would install it from the registry: pack, extract into
 * `<nodesDir>/node_modules/<name>`, drop dev/peer/optional dependencies from its package.json, install the rest.
 * Returns the package name.
 */
export async function installCommunityPackage(args: {
	packageDir: string;
	nodesDir: string;
	workDir: string;
	nodeBin: string;
	logFile: string;
}): Promise<string> {
	const { packageDir, nodesDir, workDir, nodeBin, logFile } = args;
	if (!existsSync(join(packageDir, 'package.json'))) throw new Error(`${packageDir} has no package.json`);
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !existsSync(join(packageDir, file)));
	if (missing.length > 0) {
		throw new Error(`${pkg.name} is not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
	}

	const pack = npmCommand(nodeBin, ['pack', '--json', '--ignore-scripts', `--pack-destination=${workDir}`]);
	const packed = await runChecked(pack.file, pack.args, { cwd: packageDir, env: pack.env, logFile, timeoutMs: 120_000 });
	const jsonStart = packed.stdout.indexOf('[');
	const info = JSON.parse(packed.stdout.slice(jsonStart)) as Array<{ filename: string }>;
	const tarball = join(workDir, info[0].filename.replace(/^@/, '').replace(/\//g, '-'));
	if (!existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);

	const extractDir = join(workDir, 'extract');
	mkdirSync(extractDir, { recursive: true });
	await runChecked('tar', ['-xzf', tarball, '-C', extractDir, '--strip-components=1'], { logFile });
	const target = join(nodesDir, 'node_modules', pkg.name);
	mkdirSync(dirname(target), { recursive: true });
	rmSync(target, { recursive: true, force: true });
	renameSync(extractDir, target);

	// Like n8n: the installed package.json keeps only runtime dependencies.
	const packagePath = join(target, 'package.json');
	const installed = JSON.parse(readFileSync(packagePath, 'utf8')) as Record<string, unknown>;
	delete installed.devDependencies;
	delete installed.peerDependencies;
	delete installed.optionalDependencies;
	writeFileSync(packagePath, JSON.stringify(installed, null, 2));

	const install = npmCommand(nodeBin, [
		'install',
		'--omit=dev',
		'--omit=peer',
		'--ignore-scripts=true',
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
		'--package-lock=false',
	]);
	await runChecked(install.file, install.args, { cwd: target, env: install.env, logFile, timeoutMs: 5 * 60_000 });

	// n8n records installed packages in nodes/package.json.
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2),
	);
	return pkg.name;
}

/** Finds the run JSON (`{ "data": { "resultData": … } }`) n8n printed between its log lines. */
export function extractRun(stdout: string): IRun | undefined {
	const lines = stdout.split('\n');
	// Printed with JSON.stringify(data, null, 2): a line "{" … a line "}" at column 0.
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trimEnd() !== '{') continue;
		for (let end = lines.length - 1; end > start; end--) {
			if (lines[end].trimEnd() !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n')) as unknown;
				if (isRun(parsed)) return parsed;
			} catch {
				// not this span
			}
		}
	}
	return undefined;
}

function isRun(value: unknown): value is IRun {
	if (typeof value !== 'object' || value === null) return false;
	const data = (value as { data?: unknown }).data;
	return typeof data === 'object' && data !== null && 'resultData' in data;
}

/** The message of a CLI-level error (printed by `n8n execute`'s catch), when there is no run data. */
function extractCliError(result: RunResult): string | undefined {
	const text = `${result.stdout}\n${result.stderr}`;
	const match = /Execution error:\s*\n(?:=+\s*\n)?(.+)/.exec(text);
	return match?.[1]?.trim();
}
