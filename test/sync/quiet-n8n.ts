// Imported first by the node tests: n8n's logger prints every node error on the console, and the tests
// assert those errors themselves. Must run before n8n-core creates its logger.
process.env.N8N_LOG_LEVEL ??= 'silent';

export {};
