// The client's pure parts, and its behaviour against answers a test server gives in-process (the tests against the
// real bridge are in test/bridge/, run by JsClientIT).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { BridgeStream, jwtExpiry, retryAfterMs } from '../src/index.js';

test('jwtExpiry reads exp from a JWT, and null from anything else', () => {
  const body = Buffer.from(JSON.stringify({ exp: 2000000000 })).toString('base64url');
  assert.equal(jwtExpiry(`e30.${body}.sig`), 2000000000 * 1000);
  assert.equal(jwtExpiry('opaque-token'), null);
  assert.equal(jwtExpiry(`e30.${Buffer.from('{}').toString('base64url')}.sig`), null);
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs('soon'), null);
  const at = retryAfterMs(new Date(Date.now() + 5000).toUTCString());
  assert.ok(at > 3000 && at <= 5000, String(at));
});

test('options are checked when the stream is made', () => {
  assert.throws(() => new BridgeStream({ channels: [] }), /at least one channel/);
  assert.throws(() => new BridgeStream({ url: 'http://x', channels: [{ key: 'id' }] }), /each needs a name/);
});

test('the request: channels, filters, where, max_rate, the first start, client_id; the cursor wins on resume',
  async () => {
    const urls = [];
    const server = createServer((request, response) => {
      urls.push(new URL(request.url, 'http://x'));
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const id = urls.length === 1 ? 'cur-1' : 'cur-2';
      const reason = urls.length === 1 ? 'shutdown' : 'replaced';
      response.end(`retry: 10\nid: ${id}\nevent: stream_end\ndata: {"event":"stream_end","data":{"reason":"${reason}"},`
        + '"timestamp":"2026-01-01T00:00:00Z"}\n\n');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const stream = new BridgeStream({
        url: `http://127.0.0.1:${server.address().port}/base`, channels: ['training', 'alerts'],
        filters: { task_id: ['a', 'b'], min_severity: 'high' }, where: 'data.progress >= 50', maxRate: 2,
        snapshot: true, since: 'PT5M', clientId: 'page-1',
      });
      assert.equal((await stream.closed).reason, 'replaced');
      const [first, second] = urls;
      assert.equal(first.pathname, '/base/api/v1/sse/stream');
      assert.equal(first.searchParams.get('channels'), 'training,alerts');
      assert.equal(first.searchParams.get('task_id'), 'a,b');
      assert.equal(first.searchParams.get('min_severity'), 'high');
      assert.equal(first.searchParams.get('where'), 'data.progress >= 50');
      assert.equal(first.searchParams.get('max_rate'), '2');
      assert.equal(first.searchParams.get('client_id'), 'page-1');
      assert.equal(first.searchParams.get('snapshot'), 'true');
      assert.equal(first.searchParams.get('since'), 'PT5M');
      assert.equal(first.searchParams.get('last_event_id'), null);
      assert.equal(second.searchParams.get('last_event_id'), 'cur-1');
      assert.equal(second.searchParams.get('snapshot'), null, 'a resume does not take a second snapshot');
      assert.equal(second.searchParams.get('since'), null);
      assert.equal(stream.cursor, 'cur-2');
    } finally {
      server.close();
    }
  });

test('a listener that throws does not stop the stream', async () => {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    const event = (id, name, data) => `id: ${id}\nevent: ${name}\ndata: {"event":"${name}","data":${data},`
      + '"timestamp":"2026-01-01T00:00:00Z"}\n\n';
    response.end(event('1', 'x', '{"n":1}') + event('2', 'x', '{"n":2}')
      + event('3', 'stream_end', '{"reason":"replaced"}'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const seen = [];
    const errors = [];
    const stream = new BridgeStream({ url: `http://127.0.0.1:${server.address().port}`, channels: ['c'] });
    stream.on('x', (e) => { seen.push(e.data.n); throw new Error(`listener ${e.data.n}`); });
    stream.on('error', (e) => errors.push(`${e.cause} ${e.event} ${e.error.message}`));
    assert.equal((await stream.closed).reason, 'replaced');
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(errors, ['listener x listener 1', 'listener x listener 2']);
  } finally {
    server.close();
  }
});
