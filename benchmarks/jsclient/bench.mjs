// The client library in Node holding many streams of the benchmark channel, against a bare reader that does the
// least any EventSource-style reader does (fetch, split events, parse each data line): its CPU per delivery and
// memory. benchmarks/run.sh jsclient starts it beside the bridge and the producer (see benchmarks/README.md).
//   node bench.mjs <bridge url> <client|bare> <streams> <warm-up s> <measured s>
import { performance } from 'node:perf_hooks';
import { BridgeStream } from '../../client-js/src/index.js';

const [url, mode, streamsArg, warmupArg, measuredArg] = process.argv.slice(2);
const streams = Number(streamsArg);
const warmup = Number(warmupArg) * 1000;
const measured = Number(measuredArg) * 1000;
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

const seen = Array.from({ length: streams }, () => new Set());
let deliveries = 0;
const latencies = [];
let firstAt = 0;
let measuring = false;

function deliver(i, value) {
  if (!firstAt) {
    firstAt = Date.now();
  }
  seen[i].add(value.seq);
  if (measuring) {
    deliveries++;
    if (deliveries % 50 === 0) {
      latencies.push((nowUs() - value.sent_us) / 1000);
    }
  }
}

const closers = [];
async function bare(i) {
  const abort = new AbortController();
  closers.push(() => abort.abort());
  const response = await fetch(`${url}/api/v1/sse/bench?client_id=js-bare-${i}`, { signal: abort.signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      let end;
      while ((end = buffer.indexOf('\n\n', start)) >= 0) {
        const data = buffer.indexOf('\ndata: ', start);
        if (data >= 0 && data < end && buffer.startsWith('bench_event', buffer.indexOf('event: ', start) + 7)) {
          deliver(i, JSON.parse(buffer.slice(data + 7, end)).data);
        }
        start = end + 2;
      }
      buffer = buffer.slice(start);
    }
  } catch (e) {
    // closed
  }
}

function client(i) {
  const stream = new BridgeStream({ url, channels: ['bench'], clientId: `js-client-${i}` });
  stream.on('bench_event', (e) => deliver(i, e.data));
  closers.push(() => stream.close());
}

for (let i = 0; i < streams; i++) {
  if (mode === 'bare') {
    bare(i);
  } else {
    client(i);
  }
}
console.log(`ready: ${streams} ${mode} streams`);
while (!firstAt) {
  await new Promise((resolve) => { setTimeout(resolve, 100); });
}
await new Promise((resolve) => { setTimeout(resolve, warmup); });
global.gc?.();
const cpuBefore = process.cpuUsage();
measuring = true;
const started = performance.now();
await new Promise((resolve) => { setTimeout(resolve, measured); });
measuring = false;
const elapsed = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
global.gc?.();
const memory = process.memoryUsage();
// Every stream should have what any stream had: the same count of distinct seqs each (2 s for the last in flight).
await new Promise((resolve) => { setTimeout(resolve, 2000); });
const counts = seen.map((s) => s.size);
const most = Math.max(...counts);
const short = counts.filter((n) => n < most).length;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]?.toFixed(1);
console.log(`| mode | ${mode} |`);
console.log(`| streams | ${streams} |`);
console.log(`| deliveries in ${(elapsed / 1000).toFixed(1)} s | ${deliveries} (${Math.round(deliveries / (elapsed / 1000))}/s) |`);
console.log(`| CPU per delivery (user+system) | ${((cpu.user + cpu.system) / deliveries).toFixed(2)} µs |`);
console.log(`| CPU (100% = one core) | ${Math.round((cpu.user + cpu.system) / 1000 / elapsed * 100)}% |`);
console.log(`| memory after GC: RSS, heap used | ${(memory.rss / 1048576).toFixed(1)} MB, ${(memory.heapUsed / 1048576).toFixed(1)} MB |`);
console.log(`| latency (record sent to listener) | p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (${latencies.length} samples) |`);
console.log(`| every stream the records any stream had | ${short === 0 ? `yes: ${most} distinct records each` : `NO: ${short} streams short of ${most}`} |`);
closers.forEach((close) => close());
process.exit(short === 0 ? 0 : 1);
