// A jest setup file (see jest.config.js): n8n-core's logger prints every node error on the console, and the
// tests assert those errors themselves. It must be set before n8n-core creates its logger.
process.env.N8N_LOG_LEVEL ??= 'silent';

export {};
