// Compiled by `npm test` (tsc, no output): the declarations type what a page writes, and reject what it must not.
import { BridgeStream, type TrainingProgress } from '../../src/index.js';

const stream = new BridgeStream({
  url: 'https://bridge.example.com',
  channels: [{ name: 'training', event: 'training_progress', key: 'task_id' }, 'alerts'],
  filters: { min_severity: 'high' },
  snapshot: true,
  token: async () => 'jwt',
});
stream.on('training_progress', (e) => {
  const progress: number = e.data.progress;
  const status: 'running' | 'completed' | 'failed' = e.data.status;
  void progress; void status;
});
stream.on('risk_alert', (e) => { const severity: string = e.data.severity; void severity; });
stream.on('stream_end', (e) => { const reason: string = e.data.reason; void reason; });
stream.on('close', (c) => { if (c.reason === 'unauthorized') { void c.status; } });
const latest: ReadonlyMap<string, TrainingProgress> = stream.state<TrainingProgress>('training');
void latest;
void stream.snapshotEnd('training').then((end) => ('resumed' in end ? 0 : end.keys));

// @ts-expect-error: a training event has no severity
stream.on('training_progress', (e) => e.data.severity);
// @ts-expect-error: channels are required
new BridgeStream({ url: 'x' });
