/**
 * What the demo (`npm start`, ./start.ts) and the e2e tests share: the two credentials the example workflows
 * reference by id, and the example workflows themselves (examples/workflows/*.json, importable as they are).
 *
 * Bitbucket target: the in-process sandbox (dev/sandbox) by default, or real Bitbucket Cloud when the CLI's
 * environment variables are set (nodes/shared/cli/config.ts: AXION_BITBUCKET_EMAIL + AXION_BITBUCKET_API_TOKEN,
 * or AXION_BITBUCKET_ACCESS_TOKEN, or the legacy AXION_BITBUCKET_USERNAME + AXION_BITBUCKET_APP_PASSWORD, plus
 * AXION_BITBUCKET_WORKSPACE / AXION_BITBUCKET_REPO and optionally AXION_BITBUCKET_BASE_URL).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_BASE_URL } from '../../nodes/shared/bitbucket/auth';
import { configFromEnv, ENV, type CliConfig } from '../../lib/cli/config';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials';
import { findPackageRoot } from './exec';
import type { N8nCredential, WorkflowDefinition } from './instance';

/** Credential ids the example workflows reference (n8n accepts any string id; keep them short). */
export const DEMO_CREDENTIALS = {
	bitbucket: { id: 'bitbucket-sandbox', type: 'bitbucketCloudApi' },
	axion: { id: 'axion-sqlite', type: 'axionDatabase' },
} as const;

/** The example workflows, in the order the demo lists them. */
export const EXAMPLE_WORKFLOW_FILES = [
	'sync-open-pull-requests.json',
	'create-pull-request-and-link.json',
	'trigger-staging-pipeline.json',
	'notify-failed-pipeline-or-merged-pr.json',
] as const;

export type ExampleWorkflowFile = (typeof EXAMPLE_WORKFLOW_FILES)[number];

export interface ExampleWorkflow {
	file: ExampleWorkflowFile;
	workflow: WorkflowDefinition;
	/** sha256 of the file's text: the demo re-imports a workflow only when its file changed. */
	hash: string;
}

export function exampleWorkflowsDir(root: string = findPackageRoot()): string {
	return join(root, 'examples', 'workflows');
}

export function loadExampleWorkflows(dir: string = exampleWorkflowsDir()): ExampleWorkflow[] {
	return EXAMPLE_WORKFLOW_FILES.map((file) => {
		const text = readFileSync(join(dir, file), 'utf8');
		return { file, workflow: JSON.parse(text) as WorkflowDefinition, hash: sha256(text) };
	});
}

export function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Where the Bitbucket Cloud API credential points. */
export type BitbucketTarget = { kind: 'sandbox'; baseUrl: string } | { kind: 'real'; config: CliConfig };

const AUTH_VARIABLES = [ENV.email, ENV.apiToken, ENV.accessToken, ENV.username, ENV.appPassword] as const;

/**
 * Real Bitbucket from the environment, or undefined when no Bitbucket credential variable is set (then the
 * sandbox is used). Half a configuration (a token without its workspace, an email without its token) throws
 * the CLI's ConfigError naming the variable to set, rather than silently falling back to the sandbox.
 */
export function realBitbucketFromEnv(
	env: NodeJS.ProcessEnv = process.env,
	overrides: { workspace?: string; repo?: string } = {},
): CliConfig | undefined {
	if (!AUTH_VARIABLES.some((name) => (env[name] ?? '').trim() !== '')) return undefined;
	return configFromEnv(env, overrides);
}

/** The Bitbucket Cloud API credential (`bitbucket-sandbox`) for the sandbox or for real Bitbucket. */
export function bitbucketDemoCredential(target: BitbucketTarget): N8nCredential {
	const { id, type } = DEMO_CREDENTIALS.bitbucket;
	if (target.kind === 'sandbox') {
		return {
			id,
			type,
			name: 'Bitbucket Cloud (sandbox)',
			data: {
				authType: 'apiToken',
				email: SANDBOX_CREDENTIALS.apiToken.email,
				apiToken: SANDBOX_CREDENTIALS.apiToken.token,
				workspace: SANDBOX_CREDENTIALS.workspace,
				repository: SANDBOX_CREDENTIALS.repo,
				baseUrl: target.baseUrl,
			},
		};
	}
	const { auth, workspace, repo, baseUrl } = target.config;
	const secret =
		auth.type === 'apiToken'
			? { authType: 'apiToken', email: auth.email, apiToken: auth.apiToken }
			: auth.type === 'accessToken'
				? { authType: 'accessToken', accessToken: auth.accessToken }
				: auth.type === 'appPassword'
					? { authType: 'appPassword', username: auth.username, appPassword: auth.appPassword }
					: undefined;
	if (!secret) throw new Error(`Authentication type ${auth.type} cannot be stored in a Bitbucket Cloud API credential`);
	return {
		id,
		type,
		name: `Bitbucket Cloud (${workspace}/${repo})`,
		data: { ...secret, workspace, repository: repo, baseUrl: baseUrl ?? DEFAULT_BASE_URL },
	};
}

/**
 * The Axion Database credential (`axion-sqlite`): an SQLite file. A relative path resolves in the n8n folder
 * (`$N8N_USER_FOLDER/.n8n`), which is where the node creates it by default.
 */
export function axionDemoCredential(options: { sqliteFile?: string; packageName?: string } = {}): N8nCredential {
	const { id, type } = DEMO_CREDENTIALS.axion;
	return {
		id,
		type,
		name: 'Axion Database (SQLite)',
		data: {
			engine: 'sqlite',
			sqliteFile: options.sqliteFile ?? 'axion-sync.sqlite',
			table: 'def_integration_sync',
			createTable: true,
			packageName: options.packageName ?? 'axion',
		},
	};
}

/** A one-line description of the target without secrets. */
export function describeTarget(target: BitbucketTarget): string {
	if (target.kind === 'sandbox') return `the Bitbucket sandbox at ${target.baseUrl}`;
	const { auth, workspace, repo, baseUrl } = target.config;
	return `Bitbucket Cloud ${baseUrl ?? DEFAULT_BASE_URL}, ${workspace}/${repo}, authenticated by ${auth.type}`;
}
