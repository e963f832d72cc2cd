/**
 * A minimal stand-in for Bitbucket Cloud's authentication behaviour, for the e2e credential tests: it answers
 * the endpoints the credential test requests use and records every request's path and Authorization header.
 * (The full API sandbox lives in test/sandbox; this one only needs to know who is allowed in.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
	method: string;
	path: string;
	authorization: string | undefined;
}

export interface FakeBitbucketOptions {
	/** Accepted Atlassian API tokens (HTTP Basic email:token). */
	apiTokens: Array<{ email: string; token: string }>;
	/** Accepted access tokens (Bearer), each limited to a workspace and optionally a repository. */
	accessTokens: Array<{ token: string; workspace: string; repository?: string }>;
	/** Accepted OAuth 2 access tokens (Bearer, full access). */
	oauthTokens: string[];
}

export class FakeBitbucket {
	readonly requests: SeenRequest[] = [];
	private server: Server | undefined;

	constructor(private readonly options: FakeBitbucketOptions) {}

	async listen(): Promise<string> {
		this.server = createServer((req, res) => this.handle(req, res));
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		return `http://127.0.0.1:${port}/2.0`;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const authorization = req.headers.authorization;
		this.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization });
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const error = (status: number, message: string) => send(status, { type: 'error', error: { message } });

		const who = this.identify(authorization);
		if (!who) return error(401, 'Invalid or missing credentials');

		const parts = url.pathname.replace(/^\/2\.0\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
		if (parts.length === 1 && parts[0] === 'user') {
			if (who.kind === 'access') return error(403, 'Access tokens cannot read /user');
			return send(200, { type: 'user', display_name: 'Axion Tester', uuid: '{0d8c-user}', account_id: '557058:axion' });
		}
		if (parts[0] === 'repositories' && (parts.length === 2 || parts.length === 3)) {
			const [, workspace, repository] = parts;
			if (who.kind === 'access' && (who.workspace !== workspace || (who.repository && repository && who.repository !== repository))) {
				return error(403, 'This token cannot access that workspace or repository');
			}
			if (workspace !== 'axion-ws') return error(404, `No workspace ${workspace}`);
			const repo = { type: 'repository', full_name: `${workspace}/axion`, slug: 'axion', name: 'axion' };
			if (repository) return repository === 'axion' ? send(200, repo) : error(404, `No repository ${repository}`);
			return send(200, { pagelen: 1, page: 1, size: 1, values: [repo] });
		}
		return error(404, `No route ${url.pathname}`);
	}

	private identify(
		authorization: string | undefined,
	): { kind: 'api' | 'oauth' } | { kind: 'access'; workspace: string; repository?: string } | undefined {
		if (!authorization) return undefined;
		const [scheme, value = ''] = authorization.split(' ');
		if (scheme === 'Basic') {
			const [email, token] = Buffer.from(value, 'base64').toString('utf8').split(':');
			return this.options.apiTokens.some((t) => t.email === email && t.token === token) ? { kind: 'api' } : undefined;
		}
		if (scheme === 'Bearer') {
			if (this.options.oauthTokens.includes(value)) return { kind: 'oauth' };
			const access = this.options.accessTokens.find((t) => t.token === value);
			return access ? { kind: 'access', workspace: access.workspace, repository: access.repository } : undefined;
		}
		return undefined;
	}
}
