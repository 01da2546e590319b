#!/usr/bin/env node
// The `dstreams` command. This file is the CLI, however it is reached (npx, node_modules/.bin, a global install, a
// symlink, `node lib/cli/bin.js`): node resolves a symlinked main script to its real path, so __dirname is this
// package's lib/cli. In a source checkout (main.ts beside this file) it runs the TypeScript through tsx (a
// dependency); in the installed package it runs the compiled dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let cli;
if (fs.existsSync(path.join(__dirname, 'main.ts'))) {
  require('tsx/cjs');
  cli = require('./main.ts');
} else {
  cli = require('../../dist/lib/cli/main.js');
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
