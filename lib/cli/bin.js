#!/usr/bin/env node
// The `dstreams` command. From a build (dist/) it runs the compiled CLI; from a source checkout it runs the
// TypeScript directly through tsx (a dependency), so `npx dstreams` works in both.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', '..', 'dist', 'lib', 'cli', 'main.js');
if (__dirname.includes(`${path.sep}dist${path.sep}`) || fs.existsSync(compiled) && !fs.existsSync(path.join(__dirname, 'main.ts'))) {
  require(fs.existsSync(path.join(__dirname, 'main.js')) ? './main.js' : compiled);
} else {
  require('tsx/cjs');
  require('./main.ts');
}
