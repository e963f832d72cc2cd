// n8n loads the nodes and credentials listed in the "n8n" section of package.json.
// Scripts that use the Bitbucket client or the sync store directly import it from here.
module.exports = require('./dist/nodes/shared');
