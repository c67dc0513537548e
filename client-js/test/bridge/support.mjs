// What the tests against the real bridge share: the control server JsClientIT runs (Kafka, tokens, proxies, the
// bridge's restart) and the ledger that checks every produced record arrived exactly once and in order.

export const CONTROL = process.env.CONTROL_URL;
/** For `test(name, { skip }, ...)`: these tests need the bridge JsClientIT starts. */
export const skip = CONTROL ? false : 'CONTROL_URL is not set: JsClientIT runs these against a real bridge';

export async function control(path, method = 'POST') {
  const response = await fetch(`${CONTROL}${path}`, { method });
  if (!response.ok) {
    throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  }
  return (response.headers.get('content-type') ?? '').includes('json') ? response.json() : response.text();
}

export const config = () => control('/config', 'GET');
export const produce = (channel, count, keys = 5, prefix = 'k', pad = 0) =>
  control(`/produce?channel=${channel}&count=${count}&keys=${keys}&prefix=${prefix}&pad=${pad}`);
export const tombstone = (channel, key) => control(`/tombstone?channel=${channel}&key=${encodeURIComponent(key)}`);
export const token = (ttl = 'PT10M', scope = 'sse:*') => control(`/token?ttl=${ttl}&scope=${encodeURIComponent(scope)}`, 'GET');
export const newProxy = async () => `http://127.0.0.1:${(await control('/proxy')).port}`;
export const proxyAction = (url, action) => control(`/proxy/${action}?port=${new URL(url).port}`);

export const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Polls `condition` until it holds; throws naming `what` (and `detail()`) after `timeout` ms. */
export async function until(condition, what, timeout = 30000, detail = () => '') {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} ${detail()}`);
    }
    await sleep(25);
  }
}

/** Records the channel events a stream delivers, to compare with what was produced. */
export class Ledger {
  received = [];

  constructor(stream) {
    stream.on('event', (e) => {
      if (e.data && typeof e.data.seq === 'number') {
        this.received.push({ event: e.event, seq: e.data.seq });
      }
    });
  }

  /** Whether every produced record has arrived (at least once). */
  has(produced) {
    const seen = new Set(this.received.map((r) => r.seq));
    return produced.every((p) => seen.has(p.seq));
  }

  /**
   * What is wrong with what arrived, against `produced` (records of the control's /produce): records missing,
   * records twice, records out of their partition's order. Empty when exact. Only the produced records' seqs count.
   */
  problems(produced) {
    const bySeq = new Map(produced.map((p) => [p.seq, p]));
    const counts = new Map();
    const problems = [];
    const lastOffset = new Map();
    for (const r of this.received) {
      const p = bySeq.get(r.seq);
      if (!p) {
        continue;
      }
      counts.set(r.seq, (counts.get(r.seq) ?? 0) + 1);
      const partition = `${p.channel}/${p.partition}`;
      if (lastOffset.has(partition) && lastOffset.get(partition) >= p.offset && counts.get(r.seq) === 1) {
        problems.push(`out of order: ${partition} offset ${p.offset} after ${lastOffset.get(partition)}`);
      }
      lastOffset.set(partition, Math.max(lastOffset.get(partition) ?? -1, p.offset));
    }
    const missing = produced.filter((p) => !counts.has(p.seq)).map((p) => p.seq);
    const twice = [...counts].filter(([, n]) => n > 1).map(([seq]) => seq);
    if (missing.length) {
      problems.push(`${missing.length} missing (seq ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''})`);
    }
    if (twice.length) {
      problems.push(`${twice.length} twice (seq ${twice.slice(0, 10).join(', ')}${twice.length > 10 ? ', ...' : ''})`);
    }
    return problems.slice(0, 20);
  }
}

/**
 * A stream of alerts (never conflated) through a proxy that stops reading: the bridge ends it as fallen behind;
 * the proxy reads again and the client must resume and end with every record exactly once. Returns what went
 * wrong (empty: exact) and the `stream_end` reasons seen. `Stream` is the client class under test (the mutation
 * test passes a broken one).
 */
export async function fellBehindScenario(Stream, clientId, sync = async () => {}) {
  const url = await newProxy();
  const stream = new Stream({ url, channels: ['alerts'], clientId, token: () => token() });
  const ledger = new Ledger(stream);
  const ends = [];
  stream.on('stream_end', (e) => ends.push(e.data.reason));
  // `sync` brings ledger, ends and cursor up to date where the stream lives elsewhere (in a browser's page).
  const synced = async (condition) => { await sync(stream, ledger, ends); return condition(); };
  try {
    await until(() => synced(() => stream.cursor !== null), 'the stream to connect');
    const produced = [];
    produced.push(...await produce('alerts', 20, 5, `${clientId}-`));
    await until(() => synced(() => ledger.has(produced)), 'the first records');
    await proxyAction(url, 'stall');
    const overflowsBefore = await overflows();
    // More than the bridge's socket (the kernel lets its send buffer grow to 4 MB), its channel's 64 KB and its
    // 64-event queue hold (random padding: the stream is gzipped): the bridge ends the stream.
    for (let i = 0; i < 6 && (await overflows()) === overflowsBefore; i++) {
      produced.push(...await produce('alerts', 500, 5, `${clientId}-`, 2000));
    }
    await until(async () => (await overflows()) > overflowsBefore, 'the bridge to end the stalled stream', 20000);
    produced.push(...await produce('alerts', 50, 5, `${clientId}-`));
    await proxyAction(url, 'resume');
    try {
      await until(() => synced(() => ledger.has(produced)), 'every record after the resume', 10000);
    } catch (e) {
      // Reported as problems below.
    }
    // Duplicates arrive after the last new record, if at all: a moment for them to show.
    await sleep(300);
    await sync(stream, ledger, ends);
    return { problems: ledger.problems(produced), ends, connections: stream.connections };
  } finally {
    stream.close();
  }
}

/** The bridge's count of streams ended for falling behind (its Prometheus metric). */
export async function overflows() {
  const { bridge } = await config();
  const admin = await token('PT10M', 'sse:admin');
  const response = await fetch(`${bridge}/actuator/prometheus`, { headers: { Authorization: `Bearer ${admin}` } });
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith('ssebridge_overflow_disconnects_total'));
  if (!line) {
    throw new Error(`no overflow metric (status ${response.status})`);
  }
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}
