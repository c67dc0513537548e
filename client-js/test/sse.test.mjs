// The event-stream parser against the format's rules, fed in every way the network may split a stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamParser } from '../src/sse.js';

function parse(pieces) {
  const events = [];
  const retries = [];
  const parser = new EventStreamParser((e) => events.push(e), (ms) => retries.push(ms));
  pieces.forEach((p) => parser.push(p));
  return { events, retries, parser };
}

const STREAM = 'id: c1\nretry: 2382\nevent: connected\ndata: {"a":1}\n\n'
  + ': a comment\nevent: ping\ndata: {}\n\n'
  + 'id: c2\nevent: training_progress\ndata: {"b":\ndata: 2}\n\n';

test('events, ids carried to later events, retry, comments, multi-line data', () => {
  const { events, retries } = parse([STREAM]);
  assert.deepEqual(events, [
    { event: 'connected', data: '{"a":1}', id: 'c1' },
    { event: 'ping', data: '{}', id: 'c1' },
    { event: 'training_progress', data: '{"b":\n2}', id: 'c2' },
  ]);
  assert.deepEqual(retries, [2382]);
});

test('the same events whatever the stream is split into, and with CR LF or CR line ends', () => {
  const expected = parse([STREAM]).events;
  for (const ending of ['\n', '\r\n', '\r']) {
    const stream = STREAM.replace(/\n/g, ending);
    for (let size = 1; size <= 7; size++) {
      const pieces = [];
      for (let i = 0; i < stream.length; i += size) {
        pieces.push(stream.slice(i, i + size));
      }
      assert.deepEqual(parse(pieces).events, expected, `line end ${JSON.stringify(ending)}, pieces of ${size}`);
    }
  }
});

test('an unfinished event is not dispatched; a leading BOM, unknown fields and a bad retry are ignored', () => {
  const { events, retries } = parse(['\ufeffdata: x\nfoo: bar\nretry: 1s\n\n', 'data: half']);
  assert.deepEqual(events, [{ event: 'message', data: 'x', id: null }]);
  assert.deepEqual(retries, []);
});

test('an event with no data is not dispatched, but its id is kept', () => {
  const { events, parser } = parse(['id: only\n\n', 'event: x\n\n']);
  assert.deepEqual(events, []);
  assert.equal(parser.lastEventId, 'only');
});

test('a CR, an empty piece, then the LF: one line end, not two', () => {
  const { events } = parse(['data: a\r', '', '\ndata: b\n\n']);
  assert.deepEqual(events.map((e) => e.data), ['a\nb']);
});
