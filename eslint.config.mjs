// Lint: n8n's community-node rules (@n8n/eslint-plugin-community-nodes) and the node/credential rules of
// eslint-plugin-n8n-nodes-base, on top of typescript-eslint. Rules turned off are listed in the README.
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '!eslint.config.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.community.rules,
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Our documentation URLs point at Atlassian's pages, not at n8n's docs site.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Outdated: n8n 1.x/2.x types inputs/outputs as NodeConnectionTypes.Main, which the community rules require.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts', 'package.json'],
		...communityNodes.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...communityNodes.configs.recommendedWithoutN8nCloudSupport.rules,
			// The sync store needs a PostgreSQL driver (pg) and luxon at run time; see README "Lint".
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// The Bitbucket client, request layer and sync store do not import n8n (the CLI and scripts use them too);
		// the nodes map their typed errors to NodeApiError / NodeOperationError.
		files: ['nodes/shared/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
);
