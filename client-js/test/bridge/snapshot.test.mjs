// Snapshot then live on two channels that keep state: the client's state map equals the latest value of every
// key produced (tombstones remove keys), and snapshotEnd resolves per channel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeStream } from '../../src/index.js';
import { produce, skip, tombstone, token, until } from './support.mjs';

test('snapshot, then live, into a state map equal to the produced records', { skip, timeout: 60000 }, async () => {
  const keys = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const before = [...await produce('training', 60, 6, 'snap-t'), ...await produce('backtest', 40, 4, 'snap-b')];
  const stream = new BridgeStream({
    url: (await (await fetch(`${process.env.CONTROL_URL}/config`)).json()).bridge,
    // No event names given: the client learns them from the bridge's `connected` event.
    channels: [{ name: 'training', key: 'task_id' }, { name: 'backtest', key: 'backtest_id' }],
    filters: { key: [...keys('snap-t', 6), ...keys('snap-b', 4)] },
    snapshot: true,
    clientId: 'js-snapshot',
    token: () => token(),
  });
  try {
    const [training, backtest] = await Promise.all([stream.snapshotEnd('training'), stream.snapshotEnd('backtest')]);
    assert.equal(training.channel, 'training');
    assert.equal(backtest.channel, 'backtest');
    const after = [...await produce('training', 30, 6, 'snap-t'), ...await produce('backtest', 20, 4, 'snap-b')];
    await tombstone('training', 'snap-t3');
    const reference = new Map();
    for (const record of [...before, ...after]) {
      reference.set(`${record.channel}/${record.key}`, record.seq);
    }
    reference.delete('training/snap-t3');
    const seen = () => {
      const state = new Map();
      for (const channel of ['training', 'backtest']) {
        for (const [key, value] of stream.state(channel)) {
          state.set(`${channel}/${key}`, value.seq);
        }
      }
      return state;
    };
    await until(() => JSON.stringify([...seen()].sort()) === JSON.stringify([...reference].sort()),
      'the state map to equal the reference', 20000,
      () => `\n state ${JSON.stringify([...seen()].sort())}\n reference ${JSON.stringify([...reference].sort())}`);
  } finally {
    stream.close();
  }
});
