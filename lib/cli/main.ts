#!/usr/bin/env node
/**
 * axion-bitbucket: operator commands on the same Bitbucket client the n8n node uses.
 * Exit codes: 0 ok, 1 Bitbucket/API error, 2 usage or missing configuration.
 */
import { parseArgs } from 'node:util';

import { PULL_REQUEST_STATES } from '../../nodes/shared/bitbucket/client';
import { BitbucketClient } from '../client';
import { BitbucketApiError, BitbucketError } from '../../nodes/shared/bitbucket/errors';
import { BitbucketConfigError } from '../../nodes/shared/bitbucket/auth';
import type { PullRequestState } from '../../nodes/shared/bitbucket/types';
import { configFromEnv, ConfigError, ENV } from './config';
import { table } from './format';

const USAGE = `Usage: axion-bitbucket <command> [options]

Commands:
  test-connection             check the credentials and show the connected repository
  list-prs [--state S]...     pull requests (S: ${PULL_REQUEST_STATES.join(', ')}; default OPEN)
  list-pipelines              pipelines, newest first
  list-branches               branches

Options:
  --json                      machine-readable output
  --limit N                   at most N rows (default 50; 0 = all)
  --workspace W, --repo R     override ${ENV.workspace} / ${ENV.repo}
  -h, --help                  this help

Environment:
  ${ENV.email} + ${ENV.apiToken}   Atlassian API token (recommended)
  ${ENV.accessToken}              workspace/project/repository access token
  ${ENV.username} + ${ENV.appPassword}  legacy app password (removed by Atlassian 2026-07-28)
  ${ENV.workspace}, ${ENV.repo}   the repository to work on
  ${ENV.baseUrl}                  optional, default https://api.bitbucket.org/2.0

Exit codes: 0 ok, 1 Bitbucket error, 2 usage or configuration error.`;

export interface CliIo {
	out: (text: string) => void;
	err: (text: string) => void;
	env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

export async function run(argv: string[], io: CliIo): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				json: { type: 'boolean', default: false },
				state: { type: 'string', multiple: true },
				limit: { type: 'string' },
				workspace: { type: 'string' },
				repo: { type: 'string' },
				help: { type: 'boolean', short: 'h', default: false },
			},
		});
	} catch (error) {
		io.err(`${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const { values, positionals } = parsed;
	const command = positionals[0];
	if (values.help || !command) {
		(values.help ? io.out : io.err)(USAGE);
		return values.help ? 0 : 2;
	}

	try {
		const limitText = values.limit ?? '50';
		if (!/^\d+$/.test(limitText)) throw new UsageError(`--limit must be a whole number, got "${limitText}"`);
		const limit = Number(limitText) === 0 ? undefined : Number(limitText);
		const states = (values.state ?? []).map((s) => s.toUpperCase());
		for (const s of states) {
			if (!PULL_REQUEST_STATES.includes(s as PullRequestState)) {
				throw new UsageError(`--state must be one of ${PULL_REQUEST_STATES.join(', ')}, got "${s}"`);
			}
		}
		if (!['test-connection', 'list-prs', 'list-pipelines', 'list-branches'].includes(command)) {
			throw new UsageError(`Unknown command "${command}"`);
		}
		const config = configFromEnv(io.env, { workspace: values.workspace, repo: values.repo });
		const client = BitbucketClient.withAuth(config.auth, {
			baseUrl: config.baseUrl,
			onRetry: (e) => io.err(`${e.reason === 'rateLimit' ? 'rate limited' : `HTTP ${e.status ?? 'error'}`}: retrying in ${Math.round(e.waitMs / 1000)} s…`),
		});
		const ref = { workspace: config.workspace, repo: config.repo };
		const print = (data: unknown, text: () => string) => io.out(values.json ? JSON.stringify(data, null, 2) : text());

		switch (command) {
			case 'test-connection': {
				const repo = await client.getRepo(ref);
				const summary = {
					ok: true,
					authentication: config.auth.type,
					repository: repo.full_name,
					name: repo.name,
					private: repo.is_private,
					mainBranch: repo.mainbranch?.name,
					url: (repo.links?.html as { href?: string } | undefined)?.href,
				};
				print(summary, () =>
					[`Connected (${config.auth.type}) to ${repo.full_name}`, `  name: ${repo.name}`, `  main branch: ${repo.mainbranch?.name ?? '-'}`, `  private: ${String(repo.is_private)}`].join('\n'),
				);
				break;
			}
			case 'list-prs': {
				const prs = await client.listPullRequests(ref, { states: states as PullRequestState[], limit });
				print(prs, () =>
					table(
						['ID', 'STATE', 'TITLE', 'SOURCE → DESTINATION', 'UPDATED'],
						prs.map((p) => [p.id, p.state, p.title, `${p.source?.branch?.name ?? '?'} → ${p.destination?.branch?.name ?? '?'}`, p.updated_on?.slice(0, 16)]),
					),
				);
				break;
			}
			case 'list-pipelines': {
				const pipelines = await client.listPipelines(ref, { limit });
				print(pipelines, () =>
					table(
						['#', 'STATE', 'RESULT', 'TARGET', 'CREATED'],
						pipelines.map((p) => [
							p.build_number,
							p.state?.name,
							p.state?.result?.name,
							String((p.target as { ref_name?: string } | undefined)?.ref_name ?? ''),
							p.created_on?.slice(0, 16),
						]),
					),
				);
				break;
			}
			case 'list-branches': {
				const branches = await client.listBranches(ref, { limit });
				print(branches, () =>
					table(['BRANCH', 'HEAD', 'DATE'], branches.map((b) => [b.name, b.target?.hash?.slice(0, 12), b.target?.date?.slice(0, 16)])),
				);
				break;
			}
		}
		return 0;
	} catch (error) {
		if (error instanceof UsageError || error instanceof ConfigError || error instanceof BitbucketConfigError) {
			io.err(`${error.message}\n\nRun axion-bitbucket --help for usage.`);
			return 2;
		}
		if (error instanceof BitbucketApiError) {
			io.err(`${error.message}${error.detail ? `\n${error.detail}` : ''}`);
			return 1;
		}
		if (error instanceof BitbucketError && error.kind === 'input') {
			io.err(error.message);
			return 2;
		}
		io.err(error instanceof Error ? error.message : String(error));
		return 1;
	}
}

if (require.main === module) {
	void run(process.argv.slice(2), {
		out: (t) => process.stdout.write(`${t}\n`),
		err: (t) => process.stderr.write(`${t}\n`),
		env: process.env,
	}).then((code) => {
		process.exitCode = code;
	});
}
