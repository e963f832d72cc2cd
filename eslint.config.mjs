// `n8n-node lint` (from @n8n/node-cli) runs ESLint with this file. It is n8n's self-hosted configuration
// (the package ships Axion Sync, which needs PostgreSQL's driver and a local SQLite file, so "strict" is false in
// package.json), plus:
//  - the project's own rules (no `any`);
//  - test and development code (test/, dev/) checked as TypeScript only: n8n's node rules do not apply to them.
// The Bitbucket Cloud node and its credentials also pass n8n's Cloud rules: `npm run lint:cloud`
// (eslint.cloud.config.mjs). Every rule turned off is listed in docs/development.md, with the reason.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['dist/**', 'dist-dev/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	...configWithoutCloudSupport,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
	{
		// Axion Sync needs PostgreSQL's driver (pg) at run time; it is self-hosted by nature (see README).
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// The CLI writes to the terminal; scripts and the CLI are not n8n nodes.
		files: ['lib/**/*.ts'],
		rules: {
			'no-console': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
		},
	},
	{
		// The Bitbucket client, request layer and sync store do not import n8n (the CLI and scripts use them too):
		// they throw their own typed errors, which the nodes map to NodeApiError / NodeOperationError.
		files: ['nodes/shared/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// Tests and development tools are not node code: every n8n rule is off there.
		files: ['test/**/*.ts', 'dev/**/*.ts'],
		rules: {
			'no-console': 'off',
			...Object.fromEntries(Object.keys(n8nCommunityNodesPlugin.rules).map((rule) => [`@n8n/community-nodes/${rule}`, 'off'])),
			...Object.fromEntries(Object.keys(n8nNodesBase.rules).map((rule) => [`n8n-nodes-base/${rule}`, 'off'])),
		},
	},
];
