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

/** A local server answering the n-th request with `answers[n]` (the last one repeats): a status, or events. */
async function serve(answers) {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(new URL(request.url, 'http://x'));
    const answer = answers[Math.min(requests.length, answers.length) - 1];
    if (typeof answer === 'number') {
      response.writeHead(answer, { 'Content-Type': 'application/problem+json' });
      response.end(JSON.stringify({ status: answer, title: 'no' }));
    } else if (answer === 'drop') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(events([['c1', 'connected', '{}']]));
      setTimeout(() => response.destroy(), 20);
    } else {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.end(events(answer));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

function events(list) {
  return list.map(([id, name, data]) => `id: ${id}\nevent: ${name}\ndata: {"event":"${name}","data":${data},`
    + '"timestamp":"2026-01-01T00:00:00Z"}\n\n').join('');
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const jwt = (exp) => `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

test('a supplier that hands out the same token: asked again per connection, never in a loop', async () => {
  const server = await serve([[['c1', 'connected', '{}']], 401]);
  try {
    let asked = 0;
    const token = jwt(Math.floor(Date.now() / 1000) + 1); // within its margin soon, and past by the second request
    const stream = new BridgeStream({ url: server.url, channels: ['c'], backoff: { initial: 10, max: 10 },
      token: () => { asked++; return token; } });
    const result = await stream.closed;
    assert.equal(result.reason, 'unauthorized');
    assert.ok(asked <= 5, `asked ${asked} times`);
  } finally {
    server.close();
  }
});

test('close() from a listener: no timer left, and nothing delivered after it', async () => {
  const before = timers();
  const server = await serve([[['c1', 'connected', '{}'], ['c2', 'x', '{"n":1}'], ['c3', 'x', '{"n":2}']]]);
  try {
    const seen = [];
    const first = new BridgeStream({ url: server.url, channels: ['c'] });
    first.on('x', (e) => { seen.push(e.data.n); first.close(); });
    await first.closed;
    assert.deepEqual(seen, [1]);
    assert.equal(first.cursor, 'c2');

    const second = new BridgeStream({ url: `${server.url}/gone`, channels: ['c'], backoff: { initial: 5000, max: 5000 } });
    second.on('reconnecting', () => second.close()); // during the wait before the next attempt
    await second.closed;
    await new Promise((resolve) => { setImmediate(resolve); });
    assert.equal(timers(), before);
  } finally {
    server.close();
  }
});

test('a key function that throws: reported, the event still delivered, no reconnect', async () => {
  const server = await serve([[['c1', 'connected', '{}'], ['c2', 'x', '{"n":1}'], ['c3', 'stream_end', '{"reason":"replaced"}']]]);
  try {
    const errors = [];
    const seen = [];
    const stream = new BridgeStream({ url: server.url, channels: [{ name: 'c', key: (v) => v.missing.id }] });
    stream.on('error', (e) => errors.push(e.cause));
    stream.on('x', (e) => seen.push(e.data.n));
    assert.equal((await stream.closed).reason, 'replaced');
    assert.deepEqual(errors, ['state_key']);
    assert.deepEqual(seen, [1]);
    assert.equal(stream.connections, 1);
  } finally {
    server.close();
  }
});

test('options: partial backoff takes the other default; bad numbers are refused', () => {
  assert.throws(() => new BridgeStream({ url: 'http://x', channels: ['c'], backoff: { initial: -1 } }), /backoff.initial/);
  assert.throws(() => new BridgeStream({ url: 'http://x', channels: ['c'], maxUnauthorized: 0 }), /maxUnauthorized/);
  const stream = new BridgeStream({ url: 'http://127.0.0.1:9/', channels: ['c'], backoff: { max: 50 } });
  stream.close();
});

test('a stream_end reason this client does not know resumes, as the bridge asks', async () => {
  const server = await serve([[['c1', 'connected', '{}'], ['c2', 'stream_end', '{"reason":"something_new"}']],
    [['c3', 'stream_end', '{"reason":"replaced"}']]]);
  try {
    const stream = new BridgeStream({ url: server.url, channels: ['c'] });
    assert.equal((await stream.closed).reason, 'replaced');
    assert.equal(stream.connections, 2);
    assert.equal(server.requests[1].searchParams.get('last_event_id'), 'c2');
  } finally {
    server.close();
  }
});

test('snapshotEnd resolves as resumed when the first connection drops before snapshot_end', async () => {
  const server = await serve(['drop', [['c2', 'connected', '{}'], ['c3', 'stream_end', '{"reason":"replaced"}']]]);
  try {
    const stream = new BridgeStream({ url: server.url, channels: ['c'], snapshot: true,
      backoff: { initial: 10, max: 10 } });
    const end = stream.snapshotEnd('c');
    assert.deepEqual(await end, { channel: 'c', resumed: true });
    await stream.closed;
    assert.equal(server.requests[0].searchParams.get('snapshot'), 'true');
    assert.equal(server.requests[1].searchParams.get('snapshot'), null);
  } finally {
    server.close();
  }
});

test('over EventSource, a refusal is told from a network fault and stops the stream', async () => {
  const server = await serve([404]);
  const sources = [];
  globalThis.EventSource = class {
    constructor(url) {
      sources.push(url);
      setTimeout(() => this.onerror?.(), 5); // what a browser's EventSource does on a 404: an error, no status
    }

    addEventListener() {}

    close() {}
  };
  try {
    const stream = new BridgeStream({ url: server.url, channels: ['c'], transport: 'eventsource', token: () => 't' });
    const result = await stream.closed;
    assert.equal(result.reason, 'not_found');
    assert.equal(sources.length, 1);
    assert.match(sources[0], /access_token=t/);
  } finally {
    delete globalThis.EventSource;
    server.close();
  }
});
