// A client that stops reading is ended by the bridge as fallen behind; the client resumes from its cursor, and
// the check catches a client that would not (a mutant that drops its cursor after that end).
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BridgeStream } from '../../src/index.js';
import { fellBehindScenario, skip } from './support.mjs';

test('resumes exactly after stream_end fell_behind', { skip, timeout: 90000 }, async () => {
  const { problems, ends } = await fellBehindScenario(BridgeStream, 'js-behind');
  assert.ok(ends.includes('fell_behind'), `stream_end reasons seen: ${ends}`);
  assert.deepEqual(problems, []);
});

test('the same check fails for a client that drops its cursor on fell_behind (a mutant)', { skip, timeout: 90000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'client-mutant-'));
    await cp(new URL('../../src/', import.meta.url), dir, { recursive: true });
    const file = join(dir, 'index.js');
    const source = await readFile(file, 'utf8');
    const anchor = '  #ended(reason) {\n';
    assert.ok(source.includes(anchor), 'the mutation point is still there');
    await writeFile(file, source.replace(anchor, `${anchor}    if (reason === 'fell_behind') { this.#cursor = null; }\n`));
    const { BridgeStream: Mutant } = await import(pathToFileURL(file).href);
    const { problems, ends } = await fellBehindScenario(Mutant, 'js-mutant');
    assert.ok(ends.includes('fell_behind'), `stream_end reasons seen: ${ends}`);
    assert.notDeepEqual(problems, [], 'the ledger saw the mutant lose records');
  });
