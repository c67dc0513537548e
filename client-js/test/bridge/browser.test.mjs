// The same promises in Chromium (Debian's, driven by playwright-core): the library as the bridge serves it at
// /client/index.js, in a page whose origin is a proxy that drops its connections, with tokens that expire every
// three seconds and a bridge restart in the middle, a snapshot into the state map; over fetch, and over
// EventSource (the token as access_token). And a page that stops reading, ended as fallen behind, resumes exactly.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Ledger, control, fellBehindScenario, newProxy, produce, proxyAction, skip, sleep, token, until } from './support.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const playwright = await import('playwright-core').catch(() => null);
const required = process.env.SSEBRIDGE_REQUIRE_BROWSER === 'true';
const browserSkip = skip || (!required && (!playwright || !existsSync(CHROMIUM))
  ? `no playwright-core (npm ci) or no ${CHROMIUM}` : false);

for (const transport of ['fetch', 'eventsource']) {
  test(`in Chromium over ${transport}: exactly once across drops, expiring tokens and a restart`,
    { skip: browserSkip, timeout: 120000 }, async () => {
      assert.ok(playwright, 'playwright-core is installed (npm ci in client-js)');
      const browser = await playwright.chromium.launch({ executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'] });
      try {
        const url = await newProxy();
        const page = await browser.newPage();
        await page.exposeFunction('bridgeToken', () => token('PT3S'));
        // A page of the proxy's origin: the stream is same-origin, as a page served with the bridge has it.
        await page.goto(`${url}/client/index.js`);
        await page.evaluate(async (mode) => {
          const { BridgeStream } = await import('/client/index.js');
          window.received = [];
          // training keeps state, starting from its snapshot: the page's state map is checked at the end too.
          window.stream = new BridgeStream({ channels: [{ name: 'training', key: 'task_id' }, 'alerts'],
            snapshot: true, clientId: `browser-${mode}`, transport: mode, token: () => window.bridgeToken() });
          window.log = [];
          const t0 = Date.now();
          const note = (what) => window.log.push(`${Date.now() - t0} ms ${what}`);
          window.stream.on('open', () => note('open'));
          window.stream.on('reconnecting', (e) => note(`reconnecting in ${e.delay} ms (${e.cause})`));
          window.stream.on('stream_end', (e) => note(`stream_end ${e.data.reason}`));
          window.stream.on('close', (e) => note(`closed ${e.reason}`));
          window.stream.on('event', (e) => {
            if (e.data && typeof e.data.seq === 'number') {
              window.received.push({ event: e.event, seq: e.data.seq });
            }
          });
        }, transport);
        await until(async () => (await page.evaluate(() => window.stream.cursor)) !== null, 'the stream to connect');
        const produced = [];
        let restarted = false;
        const started = Date.now();
        while (Date.now() - started < 7000) {
          produced.push(...await produce(Math.random() < 0.5 ? 'training' : 'alerts', 1 + Math.floor(Math.random() * 10),
            7, `b-${transport}-`));
          if (Math.random() < 0.15) {
            await proxyAction(url, 'drop');
          }
          if (!restarted && Date.now() - started > 3000) {
            restarted = true;
            await control('/restart');
          }
          await sleep(50 + Math.random() * 250);
        }
        const ledger = new Ledger({ on() {} });
        let log = [];
        const read = async () => {
          [ledger.received, log] = await page.evaluate(() => [window.received, window.log]);
        };
        await until(async () => { await read(); return ledger.has(produced); }, 'every record in the page', 30000,
          () => `${ledger.problems(produced).join('; ')}\n${log.join('\n')}`);
        await sleep(300);
        await read();
        assert.deepEqual(ledger.problems(produced), []);
        const reference = {};
        produced.filter((p) => p.channel === 'training').forEach((p) => { reference[p.key] = p.seq; });
        const state = await page.evaluate((prefix) => Object.fromEntries([...window.stream.state('training')]
          .filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key, value.seq])), `b-${transport}-`);
        assert.deepEqual(state, reference, 'the page\'s state map holds the latest record of each key');
        const connections = await page.evaluate(() => { window.stream.close(); return window.stream.connections; });
        assert.ok(connections >= 3, `${connections} connections`);
      } finally {
        await browser.close();
      }
    });
}

test('in Chromium: a page whose stream stalls is ended as fallen behind and resumes exactly', { skip: browserSkip,
  timeout: 90000 }, async () => {
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.exposeFunction('bridgeToken', () => token());
    // The fell-behind scenario of Node, with the stream in the page (a stand-in with the class's shape).
    const { problems, ends } = await fellBehindScenario(class {
      constructor(options) {
        this.ready = (async () => {
          await page.goto(`${options.url}/client/index.js`);
          await page.evaluate((clientId) => import('/client/index.js').then(({ BridgeStream }) => {
            window.received = [];
            window.ends = [];
            window.stream = new BridgeStream({ channels: ['alerts'], clientId, token: () => window.bridgeToken() });
            window.stream.on('event', (e) => {
              if (e.data && typeof e.data.seq === 'number') {
                window.received.push({ seq: e.data.seq });
              }
            });
            window.stream.on('stream_end', (e) => window.ends.push(e.data.reason));
          }), options.clientId);
        })();
      }
      on() {}
      get cursor() { return this.cursorSeen ?? null; }
      close() {}
    }, 'browser-behind', async (stream, ledger, ends) => {
      await stream.ready;
      const [received, pageEnds, cursor] = await page.evaluate(() => [window.received, window.ends, window.stream.cursor]);
      ledger.received = received;
      ends.splice(0, ends.length, ...pageEnds);
      stream.cursorSeen = cursor;
    });
    assert.ok(ends.includes('fell_behind'), `stream_end reasons seen: ${ends}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
