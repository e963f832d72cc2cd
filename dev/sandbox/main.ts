/** Standalone sandbox: `npm run sandbox [-- --port 8080]` (or SANDBOX_PORT). Stops on SIGINT / SIGTERM. */
import { SANDBOX_CREDENTIALS, startSandbox } from './server';

function portFromArgs(argv: readonly string[]): number {
	const index = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
	const raw = index < 0 ? process.env['SANDBOX_PORT'] : argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
	if (raw === undefined || raw === '') return 0;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${raw}`);
	return port;
}

async function main(): Promise<void> {
	const sandbox = await startSandbox({ port: portFromArgs(process.argv.slice(2)), host: '127.0.0.1' });
	const c = SANDBOX_CREDENTIALS;
	const lines = [
		`Bitbucket sandbox listening on ${sandbox.baseUrl}`,
		'',
		`Workspace / repository: ${c.workspace}/${c.repo}`,
		'Credentials:',
		`  API token (Basic, full scopes):      ${c.apiToken.email} : ${c.apiToken.token}`,
		`  API token (Basic, read-only):        ${c.readOnlyApiToken.email} : ${c.readOnlyApiToken.token}`,
		`  Repository access token (Bearer):    ${c.accessToken.token}`,
		`  OAuth 2.0 access token (Bearer):     ${c.oauth2.accessToken}`,
		`  App password (Basic, answers 401):   ${c.appPassword.username} : ${c.appPassword.password}`,
		`  OAuth consumer (key : secret):       ${c.oauth2App.clientId} : ${c.oauth2App.clientSecret}`,
		`    OAuth Server for the OAuth2 credential: ${sandbox.origin} (authorize and access_token under /site/oauth2/)`,
		'',
		`Control: GET ${sandbox.origin}/_sandbox/requests, POST ${sandbox.origin}/_sandbox/reset, POST ${sandbox.origin}/_sandbox/faults,`,
		`         POST ${sandbox.origin}/_sandbox/oauth2/expire | revoke | tokens, GET ${sandbox.origin}/_sandbox/oauth2`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = (): void => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
