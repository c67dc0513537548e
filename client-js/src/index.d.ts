// The client's API. Record value types come from events.d.ts, generated from the bridge's JSON Schemas; a
// deployment with channels of its own passes its own map of event name to value type as the type parameter.
import type { ChannelEvents } from './events.js';

export type { ChannelEvents } from './events.js';
export * from './events.js';

/** One event as the client hands it to listeners. */
export interface BridgeEvent<T = unknown> {
  /** The SSE event name: the channel's event name, or a control event's. */
  event: string;
  /** The channel, for channel events the stream knows the event name of, and for snapshot_end, delete, replay_gap. */
  channel?: string;
  /** The record value (channel events) or the control event's data. */
  data: T;
  /** ISO-8601 instant: the record's timestamp (the bridge's clock for connected and ping). */
  timestamp: string;
  /** The cursor after this event (null before the stream's first). */
  id: string | null;
  /** W3C trace context, on channels with trace-context enabled. */
  traceparent?: string;
}

export interface ConnectedData {
  client_id: string; channel?: string; channels: string[];
  /** Each channel's event name. */
  events: Record<string, string>;
}
export interface SnapshotEndData { channel: string; keys: number; sent: number; truncated: boolean; evicted_keys?: number }
export type StreamEndReason =
  | 'fell_behind' | 'shutdown' | 'replay_unavailable' | 'topic_recreated' | 'token_expired' | 'replaced';
export interface StreamEndData { reason: StreamEndReason; message: string }
export interface DeleteData { key: string | null; channel?: string }
export interface ReplayGapData {
  channel: string; reason: 'retention' | 'topic_recreated'; partition?: number; requested_offset?: number;
  first_available_offset?: number; lost?: number; requested_offsets?: number[];
}

/** Why a stream stopped for good. */
export interface Closed {
  reason: 'closed' | 'replaced' | 'unauthorized' | 'forbidden' | 'not_found' | 'bad_request' | 'not_event_stream';
  /** The HTTP status of the refusal. */
  status?: number;
  /** The bridge's RFC 9457 problem detail, when it sent one. */
  problem?: { type?: string; title?: string; status?: number; detail?: string; [field: string]: unknown };
  error?: Error;
}

export interface ChannelSpec {
  /** The channel's name, as in the bridge's configuration. */
  name: string;
  /** Its record event's name (e.g. training_progress); learned from the bridge's `connected` event when not given. */
  event?: string;
  /** Keep the latest value of every key: the value field holding the Kafka key, or a function of the value. */
  key?: string | ((value: any) => string | number | null | undefined);
  /** With a state-field on the bridge (e.g. update_type): one value per key and value of this field. */
  stateField?: string;
}

export interface BridgeStreamOptions {
  /** The bridge's base URL (default: this page's origin). */
  url?: string;
  channels: Array<string | ChannelSpec>;
  /** Filters as query parameters: key, task_id, min_severity, ...; arrays are comma-joined. */
  filters?: Record<string, string | number | Array<string | number>>;
  /** A CEL expression over `data`, e.g. `data.progress >= 50`. */
  where?: string;
  /** At most this many events per second per key (conflation). */
  maxRate?: number;
  /** On the first connection: each state channel's snapshot, then live. */
  snapshot?: boolean;
  /** On the first connection: from this instant or this long ago (PT15M). */
  since?: string;
  /** On the first connection: earliest or latest. */
  from?: 'earliest' | 'latest';
  /** Start after this cursor (a saved `stream.cursor`). */
  cursor?: string;
  /** Shown in the bridge's status; a second stream with the same id replaces the first. */
  clientId?: string;
  /**
   * Supplies a token: asked before the first connection (`needed`), shortly before the token's exp (`expiring`),
   * and after a 401 (`unauthorized`: a cached token was refused). Sent as `Authorization: Bearer` over fetch, as `access_token` with EventSource.
   */
  token?: (context: { reason: 'needed' | 'expiring' | 'unauthorized' }) => string | Promise<string>;
  /** fetch (headers, statuses) or eventsource; auto picks fetch where streams are available. */
  transport?: 'auto' | 'fetch' | 'eventsource';
  /** Send cookies cross-origin. */
  withCredentials?: boolean;
  /** Reconnect delays after failures, in ms: doubling from initial up to max, jittered. */
  backoff?: { initial: number; max: number };
  /**
   * In ms: how long to wait for the response's headers (30 s), and how long an open stream may stay silent (90 s:
   * three of the bridge's 30 s pings) before the connection is abandoned and the stream resumes on a new one.
   */
  timeouts?: { response?: number; idle?: number };
  /** Consecutive 401s (each after asking for a fresh token) before the stream stops: 3. */
  maxUnauthorized?: number;
  /** A fetch of your own (tests, proxies). */
  fetch?: typeof fetch;
}

type Control = {
  connected: ConnectedData; ping: Record<string, never>; snapshot_end: SnapshotEndData; stream_end: StreamEndData;
  delete: DeleteData; replay_gap: ReplayGapData;
};

type Lifecycle = {
  open: { connections: number };
  reconnecting: { delay: number; cause?: string };
  /** cause: network, status_5xx, response_timeout, idle_timeout, malformed_event, token, listener (a listener threw), ... */
  error: { cause: string; status?: number; error?: unknown; event?: string; data?: string };
  close: Closed;
};

export declare class BridgeStream<E extends object = ChannelEvents> {
  constructor(options: BridgeStreamOptions);
  /** Where a new stream would resume: the cursor after the last event received. */
  readonly cursor: string | null;
  /** Resolves once, when the stream stopped for good. */
  readonly closed: Promise<Closed>;
  /** HTTP connections opened so far. */
  readonly connections: number;
  on<K extends keyof E & string>(name: K, listener: (event: BridgeEvent<E[K]>) => void): () => void;
  on<K extends keyof Control>(name: K, listener: (event: BridgeEvent<Control[K]>) => void): () => void;
  on<K extends keyof Lifecycle>(name: K, listener: (value: Lifecycle[K]) => void): () => void;
  on(name: 'event', listener: (event: BridgeEvent) => void): () => void;
  on(name: string, listener: (event: BridgeEvent) => void): () => void;
  /** key -> latest value; with stateField, key -> (field value -> value). */
  state<T = any>(channel: string): ReadonlyMap<string, T>;
  /**
   * `snapshot_end`'s data once the channel's snapshot arrived; `{ channel, resumed: true }` when the first connection
   * dropped before it (the resume replays the rest instead); rejects if the stream stops first.
   */
  snapshotEnd(channel: string): Promise<SnapshotEndData | { channel: string; resumed: true }>;
  close(): void;
}

export declare function jwtExpiry(token: string): number | null;
export declare function retryAfterMs(value: string | null): number | null;
