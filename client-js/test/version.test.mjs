// The package is versioned with the bridge: its version is the Maven project's.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

test('package.json has the bridge\'s version (pom.xml)', async () => {
  const pom = await readFile(new URL('../../pom.xml', import.meta.url), 'utf8');
  const own = pom.replace(/<parent>[\s\S]*?<\/parent>/, '').match(/<version>([^<]+)<\/version>/)[1];
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.version, own);
});
