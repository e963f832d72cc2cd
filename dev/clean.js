// Removes build output folders (default dist/), so a build never ships files whose sources moved or were deleted.
'use strict';
const { rmSync } = require('node:fs');
const { join } = require('node:path');

for (const folder of process.argv.slice(2).length ? process.argv.slice(2) : ['dist']) {
	rmSync(join(__dirname, '..', folder), { recursive: true, force: true });
}
