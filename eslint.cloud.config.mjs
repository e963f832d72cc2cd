// n8n's Cloud rules (@n8n/node-cli's default, strict configuration) for the Bitbucket Cloud node, its shared
// client, request layer and error code, and the credentials: no `process`, timers, `fs`, `node:http` or runtime
// dependencies. `npm run lint:cloud` runs it over exactly those files (see package.json) and allows 0 problems.
import { config } from '@n8n/node-cli/eslint';

export default config;
