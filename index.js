// n8n loads the nodes and credentials listed in the "n8n" section of package.json.
// Scripts import the Bitbucket client, its errors and the sync store from here (see lib/index.ts).
module.exports = require('./dist/lib');
