// What the client does with answers it cannot stream: it stops and says why, or waits as told; and close()
// leaves nothing running.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeStream } from '../../src/index.js';
import { CONTROL, config, skip, token, until } from './support.mjs';

const bridge = async () => (await config()).bridge;

test('a bridge that answers 401 to every token: the client stops after three, saying why', { skip }, async () => {
  let asked = 0;
  const stream = new BridgeStream({ url: await bridge(), channels: ['training'],
    token: async () => { asked++; return 'not-a-token'; } });
  const result = await stream.closed;
  assert.equal(result.reason, 'unauthorized');
  assert.equal(result.status, 401);
  assert.equal(asked, 3);
  assert.equal(stream.connections, 3);
});

test('no token for a bridge that needs one: unauthorized at once', { skip }, async () => {
  const stream = new BridgeStream({ url: await bridge(), channels: ['training'] });
  const result = await stream.closed;
  assert.equal(result.reason, 'unauthorized');
  assert.equal(stream.connections, 1);
});

test('an unknown channel: bad_request, with the bridge\'s problem detail naming it', { skip }, async () => {
  const stream = new BridgeStream({ url: await bridge(), channels: ['training', 'no-such-channel'],
    token: () => token() });
  const result = await stream.closed;
  assert.equal(result.reason, 'bad_request');
  assert.equal(result.status, 400);
  assert.equal(result.problem.parameter, 'channels');
  assert.match(result.problem.detail, /no-such-channel/);
  assert.equal(stream.connections, 1);
});

test('a URL where the bridge has no stream: not_found, once', { skip }, async () => {
  const stream = new BridgeStream({ url: `${await bridge()}/not/here`, channels: ['training'], token: () => token() });
  const result = await stream.closed;
  assert.equal(result.reason, 'not_found');
  assert.equal(result.status, 404);
  assert.equal(stream.connections, 1);
});

test('a 200 that is not an event stream (a login page): not_event_stream', { skip }, async () => {
  const stream = new BridgeStream({ url: `${CONTROL}/fake`, channels: ['training'] });
  const result = await stream.closed;
  assert.equal(result.reason, 'not_event_stream');
  assert.match(result.error.message, /text\/html/);
});

test('a malformed event is reported and skipped; the stream goes on', { skip }, async () => {
  const errors = [];
  const events = [];
  const stream = new BridgeStream({ url: `${CONTROL}/malformed`, channels: ['training'] });
  stream.on('error', (e) => errors.push(e));
  stream.on('training_progress', (e) => events.push(e));
  const result = await stream.closed;
  assert.equal(result.reason, 'replaced');
  assert.deepEqual(errors.map((e) => e.cause), ['malformed_event']);
  assert.deepEqual(events.map((e) => e.data), [{ task_id: 't' }]);
  assert.equal(stream.cursor, 'c3');
});

test('429 with Retry-After: the client waits that long before it tries again', { skip }, async () => {
  const delays = [];
  const stream = new BridgeStream({ url: `${CONTROL}/busy`, channels: ['training'] });
  stream.on('reconnecting', (e) => delays.push(e.delay));
  const result = await stream.closed;
  assert.equal(result.reason, 'replaced');
  assert.equal(delays.length, 1);
  assert.ok(delays[0] >= 1000 && delays[0] <= 1200, `waited ${delays[0]} ms for Retry-After: 1 (plus up to a fifth)`);
  assert.equal(stream.connections, 2);
});

test('close() stops the stream and leaves no timer or connection behind', { skip }, async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const stream = new BridgeStream({ url: await bridge(), channels: ['training', 'alerts'], token: () => token('PT1M') });
  await until(() => stream.cursor !== null, 'the stream to connect');
  assert.ok(timers() > before, 'timers run while the stream is open (its watchdog, its token refresh)');
  stream.close();
  assert.deepEqual(await stream.closed, { reason: 'closed' });
  assert.equal(timers(), before);
  await assert.rejects(stream.snapshotEnd('training'), /stopped/);
});

test('a server that never answers, or a stream that goes quiet: abandoned after the timeout, and resumed', { skip },
  async () => {
    for (const [path, cause] of [['silent', 'response_timeout'], ['idle', 'idle_timeout']]) {
      const causes = [];
      const stream = new BridgeStream({ url: `${CONTROL}/${path}`, channels: ['training'],
        timeouts: { response: 300, idle: 300 }, backoff: { initial: 50, max: 50 } });
      stream.on('reconnecting', (e) => causes.push(e.cause));
      await until(() => causes.length >= 2, `two ${cause}s`, 5000);
      stream.close();
      assert.deepEqual(causes.slice(0, 2), [cause, cause]);
      if (path === 'idle') {
        assert.equal(stream.cursor, 'i1', 'the cursor of the quiet stream is kept for the resume');
      }
    }
  });
