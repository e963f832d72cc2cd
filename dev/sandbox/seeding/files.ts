/**
 * The files of the seeded axion repository (the tree of every seeded commit), and its pipeline and deployment
 * variables. A few directories deep, text and binary, so listings, recursion and byte-exact reads can be tested.
 */
import type { FileEntry, FileTree, PipelineVariableRecord, RepositoryRecord } from '../model';
import { uuidOf } from '../prng';

const text = (content: string, attributes: string[] = []): FileEntry => ({ content: Buffer.from(content, 'utf8'), attributes });

/** A small PNG-like file: every byte value once (NULs and 0xFF included), behind a PNG signature. */
function binaryLogo(): FileEntry {
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
	return { content: Buffer.concat([signature, bytes, bytes.reverse()]), attributes: ['binary'] };
}

export const AXION_FILES: ReadonlyArray<readonly [string, FileEntry]> = [
	['README.md', text('# Axion\n\nThe Axion platform: API, web app and workers.\n')],
	['CHANGELOG.md', text('# Changelog\n\n## 2.3.0\n- CSV export of user data\n')],
	['package.json', text('{\n  "name": "axion",\n  "version": "2.3.0",\n  "private": true\n}\n')],
	['bitbucket-pipelines.yml', text('pipelines:\n  default:\n    - step:\n        script:\n          - npm ci\n          - npm test\n')],
	['config/app.json', text('{\n  "region": "eu-west-1",\n  "featureFlags": { "csvExport": true }\n}\n')],
	['config/environments/staging.env', text('API_URL=https://staging.axion.test\nLOG_LEVEL=debug\n')],
	['config/environments/production.env', text('API_URL=https://axion.test\nLOG_LEVEL=info\n')],
	['docs/guide.md', text('# Guide\n\nStart with `npm ci`.\n')],
	['docs/api/endpoints.md', text('# Endpoints\n\n- GET /users\n- GET /users/export.csv\n')],
	['docs/images/logo.png', binaryLogo()],
	['scripts/deploy.sh', text('#!/bin/sh\nset -e\nnpm run build\n', ['executable'])],
	['src/index.ts', text("export { exportUsers } from './export/users';\n")],
	['src/export/csv.ts', text('export const toCsv = (rows: string[][]) => rows.map((r) => r.join(",")).join("\\n");\n')],
	['src/export/users.ts', text("import { toCsv } from './csv';\n\nexport const exportUsers = () => toCsv([['id', 'email']]);\n")],
];

export function axionFiles(): FileTree {
	return new Map(AXION_FILES);
}

const variable = (repo: RepositoryRecord, scope: string, key: string, value: string, secured: boolean): PipelineVariableRecord => ({
	uuid: uuidOf(`${repo.full_name}:${scope}:variable:${key}`),
	key,
	value,
	secured,
});

/** Repository variables, and a few per deployment environment (one secured in each). */
export function seedVariables(repo: RepositoryRecord): void {
	repo.pipelineVariables = [
		variable(repo, 'repository', 'NODE_VERSION', '24', false),
		variable(repo, 'repository', 'NPM_TOKEN', 'npm_seeded_secret_value', true),
		variable(repo, 'repository', 'SLACK_CHANNEL', '#axion-ci', false),
	];
	for (const environment of repo.environments) {
		environment.variables = [
			variable(repo, environment.slug, 'API_URL', `https://${environment.slug}.axion.test`, false),
			variable(repo, environment.slug, 'DEPLOY_TOKEN', `${environment.slug}-seeded-deploy-token`, true),
		];
	}
}
