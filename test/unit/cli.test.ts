/** The axion-bitbucket CLI against the sandbox: output, --json, exit codes and configuration messages. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { run } from '../../lib/cli/main';
import { SANDBOX_CREDENTIALS as C, startSandbox, type Sandbox } from '../../dev/sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

function env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
	return {
		AXION_BITBUCKET_EMAIL: C.apiToken.email,
		AXION_BITBUCKET_API_TOKEN: C.apiToken.token,
		AXION_BITBUCKET_WORKSPACE: C.workspace,
		AXION_BITBUCKET_REPO: C.repo,
		AXION_BITBUCKET_BASE_URL: sandbox.baseUrl,
		...extra,
	};
}

async function cli(args: string[], environment = env()) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: environment });
	return { code, out: out.join('\n'), err: err.join('\n') };
}

it('test-connection shows the connected repository', async () => {
	const result = await cli(['test-connection']);
	expect(result.code).toBe(0);
	expect(result.out).toContain('Connected (apiToken) to technocore_axion/axion');
	expect(result.out).toMatch(/main branch: main/);
});

it('list-prs filters by state and prints a table, or JSON for scripts', async () => {
	const table = await cli(['list-prs', '--state', 'MERGED', '--limit', '5']);
	expect(table.code).toBe(0);
	const lines = table.out.split('\n');
	expect(lines[0]).toMatch(/^ID\s+STATE\s+TITLE/);
	expect(lines).toHaveLength(2 + 5);
	expect(lines.slice(2).every((l) => /\bMERGED\b/.test(l))).toBe(true);
	expect(sandbox.requests[0].query.state).toEqual(['MERGED']);

	const json = await cli(['list-prs', '--json', '--limit', '0']);
	const prs = JSON.parse(json.out) as Array<{ state: string }>;
	const open = sandbox.state.repo(C.workspace, C.repo)!.pullRequests.filter((p) => p.state === 'OPEN').length;
	expect(prs).toHaveLength(open);
});

it('list-pipelines and list-branches work with an access token', async () => {
	const environment = env({ AXION_BITBUCKET_EMAIL: undefined, AXION_BITBUCKET_API_TOKEN: undefined, AXION_BITBUCKET_ACCESS_TOKEN: C.accessToken.token });
	const pipelines = await cli(['list-pipelines', '--json', '--limit', '3'], environment);
	expect(pipelines.code).toBe(0);
	expect(JSON.parse(pipelines.out)).toHaveLength(3);
	const branches = await cli(['list-branches'], environment);
	expect(branches.out).toContain('feat/user-export');
	expect(sandbox.requests.every((r) => r.authKind === 'accessToken')).toBe(true);
});

it.each([
	[{ AXION_BITBUCKET_API_TOKEN: undefined }, /AXION_BITBUCKET_API_TOKEN is missing/],
	[{ AXION_BITBUCKET_EMAIL: undefined, AXION_BITBUCKET_API_TOKEN: undefined }, /No Bitbucket credentials: set AXION_BITBUCKET_EMAIL/],
	[{ AXION_BITBUCKET_REPO: undefined }, /AXION_BITBUCKET_REPO is missing/],
	[{ AXION_BITBUCKET_BASE_URL: 'http://bitbucket.example.com/2.0' }, /must use https/],
])('exits 2 and names what is missing: %o', async (override, message) => {
	const result = await cli(['list-prs'], env(override));
	expect(result.code).toBe(2);
	expect(result.err).toMatch(message);
	expect(sandbox.requests).toHaveLength(0);
});

it('exits 2 on usage errors and 1 on Bitbucket errors', async () => {
	expect((await cli(['list-prs', '--state', 'CLOSED'])).code).toBe(2);
	expect((await cli(['nope'])).code).toBe(2);
	const denied = await cli(['test-connection'], env({ AXION_BITBUCKET_API_TOKEN: 'wrong-token-zq81' }));
	expect(denied.code).toBe(1);
	expect(denied.err).toMatch(/^Bitbucket 401/);
	expect(denied.err).not.toContain('wrong-token-zq81');
});

const bin = join(__dirname, '..', '..', 'dist', 'lib', 'cli', 'main.js');
it('runs as the installed bin (built by npm run build)', async () => {
	expect(existsSync(bin)).toBe(true);
	const { stdout } = await promisify(execFile)(process.execPath, [bin, 'list-branches', '--json'], { env: { ...process.env, ...env() } });
	expect((JSON.parse(stdout) as Array<{ name: string }>).map((b) => b.name)).toContain('develop');
	const failure = await promisify(execFile)(process.execPath, [bin, 'list-prs'], { env: { PATH: process.env.PATH } }).catch((e: { code: number; stderr: string }) => e);
	expect((failure as { code: number }).code).toBe(2);
});
