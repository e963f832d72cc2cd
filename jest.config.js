// Test suites, each a jest project so they can be run alone:
//   unit  - request layer, client, CLI, sandbox: real HTTP to the loopback Bitbucket sandbox
//   node  - the n8n nodes executed by n8n-core's own workflow engine (in-process)
//   sync  - the def_integration_sync store on real SQLite files and a real PostgreSQL server
//   e2e   - a real n8n installation executing workflows headless
//   queue - n8n in queue mode: PostgreSQL, Redis, main + 2 workers
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const base = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
	setupFiles: ['<rootDir>/test/helpers/quiet-n8n.ts'],
};

module.exports = {
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'node', testMatch: ['<rootDir>/test/node/**/*.test.ts'] },
		{ ...base, displayName: 'sync', testMatch: ['<rootDir>/test/sync/**/*.test.ts'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
		{ ...base, displayName: 'queue', testMatch: ['<rootDir>/test/queue/**/*.test.ts'] },
	],
};
