// Runs before `npm start` and `npm test` (plain JavaScript, on whatever Node.js runs npm): on a fresh clone it
// installs the dependencies first, Node.js 24 included, so the README's two commands work right after cloning.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const node24 = join(root, 'node_modules', 'node', 'bin', 'node');

const stale = !existsSync(marker) || !existsSync(node24) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
	console.log('Installing dependencies (npm ci, including Node.js 24 from the npm registry)…');
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
