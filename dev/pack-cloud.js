// Builds the Bitbucket-only package, n8n-nodes-axion-bitbucket-cloud, from the same compiled sources (dist/),
// without Axion Sync and without any runtime dependency, so it can pass n8n's Cloud verification:
//   npm run pack:cloud   → build/cloud-package/ and build/n8n-nodes-axion-bitbucket-cloud-<version>.tgz
// Nothing is duplicated: the files are the compiled Bitbucket node, its credentials and the modules they load.
// The script fails when one of those files requires anything outside the copy other than n8n-workflow.
'use strict';
const { spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { builtinModules } = require('node:module');
const { dirname, join, relative, resolve } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const out = join(root, 'build', 'cloud-package');
const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const NAME = 'n8n-nodes-axion-bitbucket-cloud';
const CREDENTIALS = ['BitbucketCloudApi', 'BitbucketCloudOAuth2Api'];
const COPY = [
	'nodes/BitbucketCloud',
	'nodes/BitbucketCloudTrigger',
	'nodes/BitbucketCloudPollTrigger',
	'nodes/common',
	'nodes/shared/bitbucket',
	'nodes/shared/redact.js',
	'nodes/shared/errorWords.js',
	...CREDENTIALS.map((c) => `credentials/${c}.credentials.js`),
	'credentials/bitbucketCloud.svg',
	'credentials/bitbucketCloud.dark.svg',
];

if (!existsSync(join(dist, 'nodes', 'BitbucketCloud', 'BitbucketCloud.node.js'))) {
	console.error('dist/ is not built: run `npm run build` first (npm run pack:cloud does).');
	process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const entry of COPY) {
	// Compiled JavaScript, icons and codex files only: no declarations or source maps of the TypeScript sources.
	cpSync(join(dist, entry), join(out, 'dist', entry), {
		recursive: true,
		filter: (source) => statSync(source).isDirectory() || /\.(js|svg|png|json)$/.test(source),
	});
}

// Every require of the copied code must stay inside the copy, or be n8n-workflow (n8n provides it).
const problems = [];
function walk(dir) {
	for (const name of readdirSync(dir)) {
		const file = join(dir, name);
		if (statSync(file).isDirectory()) walk(file);
		else if (file.endsWith('.js')) check(file);
	}
}
function check(file) {
	const source = readFileSync(file, 'utf8');
	for (const match of source.matchAll(/require\("([^"]+)"\)/g)) {
		const target = match[1];
		if (target.startsWith('.')) {
			const resolved = resolve(dirname(file), target);
			const candidates = [resolved, `${resolved}.js`, join(resolved, 'index.js')];
			if (!candidates.some((c) => existsSync(c) && statSync(c).isFile())) {
				problems.push(`${relative(out, file)} requires ${target}, which is not in the package`);
			}
		} else if (target !== 'n8n-workflow' && !builtinModules.includes(target.replace(/^node:/, ''))) {
			problems.push(`${relative(out, file)} requires ${target}: a runtime dependency`);
		} else if (target !== 'n8n-workflow' && !['crypto', 'node:crypto'].includes(target)) {
			problems.push(`${relative(out, file)} requires ${target}: n8n Cloud allows no Node.js module but crypto`);
		}
	}
}
walk(join(out, 'dist'));
if (problems.length > 0) {
	console.error(`The Bitbucket-only package would not work on its own:\n  ${problems.join('\n  ')}`);
	process.exit(1);
}

const pkg = {
	name: NAME,
	version: main.version,
	description: 'n8n community node for Bitbucket Cloud (REST API 2.0): the Bitbucket Cloud node and its credentials, with no runtime dependency',
	license: main.license,
	keywords: ['n8n-community-node-package', 'n8n', 'bitbucket', 'bitbucket-cloud'],
	author: main.author,
	homepage: main.homepage,
	repository: main.repository,
	engines: main.engines,
	files: ['dist', 'README.md', 'LICENSE', 'CHANGELOG.md'],
	n8n: {
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: CREDENTIALS.map((c) => `dist/credentials/${c}.credentials.js`),
		nodes: ['BitbucketCloud', 'BitbucketCloudTrigger', 'BitbucketCloudPollTrigger'].map((n) => `dist/nodes/${n}/${n}.node.js`),
	},
	peerDependencies: { 'n8n-workflow': '*' },
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
for (const file of ['LICENSE', 'CHANGELOG.md']) cpSync(join(root, file), join(out, file));
writeFileSync(
	join(out, 'README.md'),
	`# ${NAME}\n\nThe Bitbucket Cloud node and its two credentials (API token / access token, OAuth2) of ` +
		`[n8n-nodes-axion-bitbucket](${main.homepage}), built from the same sources without Axion Sync, so the ` +
		'package has no runtime dependency and passes n8n Cloud\'s rules. Operations, credentials and behaviour are ' +
		`documented in the main package: ${main.homepage}\n`,
);

const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', join(root, 'build')], { cwd: out, encoding: 'utf8' });
if (packed.status !== 0) {
	console.error(packed.stderr || packed.stdout);
	process.exit(packed.status ?? 1);
}
console.log(`build/${packed.stdout.trim().split('\n').pop()} (from ${relative(root, out)})`);
