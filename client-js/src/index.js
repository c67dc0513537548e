// A client for the Kafka SSE Bridge, for browsers and Node 18+: one stream of one or several channels that keeps
// the bridge's promises across everything that ends a connection. No runtime dependencies.
//
// What EventSource alone does not do, and this does: resume from the cursor after every kind of end (a network
// error, `stream_end` for any reason, a 5xx, a restart), with a fresh token when the old one expired; send the
// token as a header; tell a refusal (401 forever, 403, 404, 400, a response that is not an event stream) from a
// fault worth retrying, and stop with the reason instead of hammering; keep the latest value of every key.

import { EventStreamParser } from './sse.js';

/**
 * The one `stream_end` reason that stops the stream: another connection of this client_id took over. Every other
 * reason (fell_behind, shutdown, replay_unavailable, topic_recreated, token_expired, and any a later bridge adds)
 * resumes from the cursor.
 */
const STOPPING_END = 'replaced';
/** The client's own events, never names of the stream's events. */
const LIFECYCLE = new Set(['open', 'reconnecting', 'error', 'close', 'event']);
/** Control events of the bridge: never a channel's record. */
const CONTROL = new Set(['connected', 'ping', 'snapshot_end', 'stream_end', 'replay_gap', 'delete']);
/** Refusals that trying again cannot mend: the stream stops and says which. */
const REFUSED = { 400: 'bad_request', 403: 'forbidden', 404: 'not_found', 405: 'bad_request', 406: 'bad_request',
  410: 'not_found', 414: 'bad_request', 431: 'bad_request' };

/**
 * One stream from the bridge. It connects at once and keeps connected until {@link BridgeStream#close} or a
 * refusal; `closed` says why it stopped.
 */
export class BridgeStream {
  #options;
  #channels;
  #byEvent = new Map(); // event name -> channel spec
  #listeners = new Map();
  #states = new Map(); // channel -> Map
  #snapshotWaiters = new Map(); // channel -> { promise, resolve, reject, data }
  #cursor;
  #retryMs = 2000;
  #failures = 0;
  #unauthorized = 0;
  #stopped = false;
  #abort = null;
  #source = null;
  #sleep = null;
  #token = null;
  #tokenExpiry = null; // ms since the epoch, or null when the token says nothing
  #tokenTimer = null;
  #tokenFetch = null;
  #closed;
  #resolveClosed;
  #connections = 0;
  #usedToken = null; // the token of the connection now open
  #watchdog = null; // the connection now open's
  #resuming = false; // the connection now open started from a cursor
  #tokenReason = 'needed'; // why the supplier is asked next

  /**
   * @param {import('./index.js').BridgeStreamOptions} options
   */
  constructor(options) {
    if (!options || !Array.isArray(options.channels) || options.channels.length === 0) {
      throw new TypeError('channels: at least one channel is needed');
    }
    this.#options = { ...options,
      backoff: { initial: options.backoff?.initial ?? 1000, max: options.backoff?.max ?? 30000 },
      maxUnauthorized: options.maxUnauthorized ?? 3 };
    const positive = (value, name) => {
      if (!(Number.isFinite(value) && value > 0)) {
        throw new TypeError(`${name}: a positive number, not ${value}`);
      }
    };
    positive(this.#options.backoff.initial, 'backoff.initial');
    positive(this.#options.backoff.max, 'backoff.max');
    positive(this.#options.maxUnauthorized, 'maxUnauthorized');
    this.#channels = options.channels.map((c) => (typeof c === 'string' ? { name: c } : { ...c }));
    for (const channel of this.#channels) {
      if (typeof channel.name !== 'string' || channel.name === '') {
        throw new TypeError('channels: each needs a name');
      }
      if (channel.key !== undefined) {
        this.#states.set(channel.name, new Map());
      }
      if (channel.event) {
        this.#byEvent.set(channel.event, channel);
      }
    }
    this.#cursor = options.cursor ?? null;
    this.#closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    this.#run();
  }

  /** The cursor after the last event received: where a new stream would resume. Null before the first. */
  get cursor() {
    return this.#cursor;
  }

  /** Resolves once, when the stream has stopped for good: `{ reason, status?, problem?, error? }`. */
  get closed() {
    return this.#closed;
  }

  /** How many HTTP connections the stream has opened so far (1 when it never had to resume). */
  get connections() {
    return this.#connections;
  }

  /**
   * Listens to events of `name`: a channel's event name (`training_progress`), a control event (`connected`,
   * `ping`, `snapshot_end`, `stream_end`, `replay_gap`, `delete`), `event` for every event, `open` (a connection
   * began streaming), `reconnecting` ({ delay, cause }), `error` (a fault the stream recovers from, or a malformed
   * event) and `close`. Returns a function that stops listening.
   */
  on(name, listener) {
    if (!this.#listeners.has(name)) {
      this.#listeners.set(name, new Set());
      if (!LIFECYCLE.has(name)) {
        this.#source?.addEventListener(name, this.#sourceListener);
      }
    }
    this.#listeners.get(name).add(listener);
    return () => this.#listeners.get(name)?.delete(listener);
  }

  /**
   * The latest value of every key of a channel that keeps state (its `key` option): key -> value, or with
   * `stateField`, key -> (field value -> value). Updated before listeners are called; read-only for the page.
   */
  state(channel) {
    const state = this.#states.get(channel);
    if (!state) {
      throw new TypeError(`state: ${channel} keeps no state (give it a key and its event name)`);
    }
    return state;
  }

  /** Resolves with `snapshot_end`'s data once the channel's snapshot has arrived; rejects if the stream stops first. */
  snapshotEnd(channel) {
    let waiter = this.#snapshotWaiters.get(channel);
    if (!waiter) {
      waiter = {};
      waiter.promise = new Promise((resolve, reject) => { waiter.resolve = resolve; waiter.reject = reject; });
      this.#snapshotWaiters.set(channel, waiter);
      if (this.#stopped) {
        waiter.reject(new Error('the stream has stopped'));
      }
    }
    return waiter.promise;
  }

  /** Stops the stream: closes the connection, cancels every timer; nothing is left running. */
  close() {
    this.#stop({ reason: 'closed' });
  }

  // ---- the connection loop ------------------------------------------------------------------------------------

  async #run() {
    while (!this.#stopped) {
      let outcome;
      try {
        outcome = await this.#connect();
      } catch (error) {
        outcome = this.#stopped ? { kind: 'stopped' } : { kind: 'failed', cause: 'network', error };
      }
      if (this.#stopped || outcome.kind === 'stopped') {
        return;
      }
      if (outcome.kind === 'refused') {
        this.#stop(outcome.result);
        return;
      }
      const delay = this.#delayAfter(outcome);
      if (outcome.error || outcome.kind === 'failed') {
        this.#emit('error', { cause: outcome.cause, status: outcome.status, error: outcome.error });
      }
      this.#emit('reconnecting', { delay, cause: outcome.cause });
      await this.#wait(delay);
    }
  }

  #delayAfter(outcome) {
    if (outcome.kind === 'ended') {
      // The bridge ended the stream on purpose: a fresh token needs no pause, the others follow its retry: (spread
      // over half of it, so that a restarting instance's clients do not all come back at once).
      return outcome.cause === 'token_expired' ? 0 : Math.round(this.#retryMs * (0.5 + Math.random() / 2));
    }
    if (outcome.kind === 'wait') {
      return outcome.delay;
    }
    this.#failures++;
    const { initial, max } = this.#options.backoff;
    const ceiling = Math.min(max, initial * 2 ** Math.min(this.#failures - 1, 20));
    return Math.round(ceiling * (0.5 + Math.random() / 2));
  }

  #wait(ms) {
    if (this.#stopped) {
      return Promise.resolve(); // closed by a listener of the outcome: no timer
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#sleep = null; resolve(); }, ms);
      this.#sleep = () => { clearTimeout(timer); resolve(); };
    });
  }

  #url() {
    // Relative to the bridge's base URL, which may have a path of its own (behind a proxy at /bridge/).
    const base = new URL(this.#options.url ?? '/', globalThis.location?.href);
    if (!base.pathname.endsWith('/')) {
      base.pathname += '/';
    }
    const url = new URL('api/v1/sse/stream', base);
    const query = url.searchParams;
    query.set('channels', this.#channels.map((c) => c.name).join(','));
    if (this.#options.clientId) {
      query.set('client_id', this.#options.clientId);
    }
    for (const [name, value] of Object.entries(this.#options.filters ?? {})) {
      query.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    if (this.#options.where) {
      query.set('where', this.#options.where);
    }
    if (this.#options.maxRate !== undefined) {
      query.set('max_rate', String(this.#options.maxRate));
    }
    if (this.#cursor) {
      // The cursor wins over every other start: a resumed stream continues exactly, it does not start again.
      query.set('last_event_id', this.#cursor);
    } else {
      if (this.#options.snapshot) {
        query.set('snapshot', 'true');
      }
      if (this.#options.since) {
        query.set('since', this.#options.since);
      }
      if (this.#options.from) {
        query.set('from', this.#options.from);
      }
    }
    return url;
  }

  #transport() {
    const asked = this.#options.transport ?? 'auto';
    if (asked !== 'auto') {
      return asked;
    }
    return typeof globalThis.fetch === 'function' && typeof globalThis.ReadableStream === 'function'
      ? 'fetch' : 'eventsource';
  }

  async #connect() {
    const token = await this.#currentToken();
    if (this.#stopped) {
      return { kind: 'stopped' };
    }
    const url = this.#url();
    this.#resuming = this.#cursor !== null;
    this.#usedToken = token;
    this.#connections++;
    return this.#transport() === 'eventsource' ? this.#viaEventSource(url, token) : this.#viaFetch(url, token);
  }

  async #viaFetch(url, token) {
    const abort = new AbortController();
    this.#abort = abort;
    const headers = { Accept: 'text/event-stream' };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const { response: responseTimeout, idle } = this.#timeouts();
    let silent = null;
    // A connection that never answers, or goes quiet for longer than pings would allow (a half-open TCP connection,
    // a proxy holding the request), is abandoned and the stream resumes on a new one.
    const watchdog = new Watchdog(responseTimeout, () => {
      silent = 'response_timeout';
      abort.abort();
    });
    this.#watchdog = watchdog;
    try {
      const fetchImpl = this.#options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, { headers, signal: abort.signal, cache: 'no-store',
        credentials: this.#options.withCredentials ? 'include' : 'same-origin' });
      if (response.status !== 200) {
        return await this.#refusal(response);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.toLowerCase().startsWith('text/event-stream')) {
        await response.body?.cancel();
        return { kind: 'refused', result: { reason: 'not_event_stream', status: 200,
          error: new Error(`the answer was ${type || 'untyped'}, not text/event-stream: is ${url.origin} the bridge?`) } };
      }
      watchdog.touch(idle, () => {
        silent = 'idle_timeout';
        abort.abort();
      });
      let ended = null;
      const parser = new EventStreamParser((raw) => {
        const reason = this.#dispatch(raw);
        if (reason) {
          ended = reason;
        }
      }, (ms) => { this.#retryMs = ms; });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      this.#opened();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done || this.#stopped) {
            break;
          }
          watchdog.touch();
          parser.push(decoder.decode(value, { stream: true }));
        }
        if (!this.#stopped) {
          parser.push(decoder.decode());
        }
      } catch (error) {
        if (this.#stopped) {
          return { kind: 'stopped' };
        }
        return ended ? this.#ended(ended) : { kind: 'failed', cause: silent ?? 'network', error };
      }
      if (this.#stopped) {
        return { kind: 'stopped' };
      }
      return ended ? this.#ended(ended) : { kind: 'failed', cause: 'closed_without_end' };
    } catch (error) {
      if (this.#stopped) {
        return { kind: 'stopped' };
      }
      return { kind: 'failed', cause: silent ?? 'network', error };
    } finally {
      watchdog.stop();
      this.#abort = null;
    }
  }

  #timeouts() {
    return { response: 30000, idle: 90000, ...this.#options.timeouts };
  }

  #ended(reason) {
    if (reason !== STOPPING_END) {
      if (reason === 'token_expired' && this.#token === this.#usedToken) {
        this.#token = null; // not renewed ahead of time (see #scheduleRefresh): the next connection asks the supplier
      }
      return { kind: 'ended', cause: reason };
    }
    return { kind: 'refused', result: { reason } }; // `replaced`: another connection of this client_id took over
  }

  async #refusal(response) {
    const status = response.status;
    let problem;
    try {
      problem = (response.headers.get('content-type') ?? '').includes('json') ? await response.json() : undefined;
    } catch (e) {
      problem = undefined;
    }
    if (problem === undefined) {
      await response.body?.cancel().catch(() => {});
    }
    if (status === 401) {
      this.#unauthorized++;
      if (this.#token === this.#usedToken) {
        this.#token = null; // refused: the supplier is asked again (a token renewed meanwhile is tried first)
        this.#tokenReason = 'unauthorized';
      }
      if (!this.#options.token || this.#unauthorized >= this.#options.maxUnauthorized) {
        return { kind: 'refused', result: { reason: 'unauthorized', status, problem } };
      }
      return { kind: 'wait', delay: 0, cause: 'unauthorized', status };
    }
    if (REFUSED[status]) {
      return { kind: 'refused', result: { reason: REFUSED[status], status, problem } };
    }
    const retryAfter = retryAfterMs(response.headers.get('retry-after'));
    if ((status === 429 || status === 503) && retryAfter !== null) {
      // Up to a fifth later than asked: clients refused together do not all come back in the same instant.
      return { kind: 'wait', delay: Math.round(retryAfter * (1 + Math.random() / 5)), cause: `status_${status}`,
        status };
    }
    return { kind: 'failed', cause: `status_${status}`, status };
  }

  async #viaEventSource(url, token) {
    if (token) {
      url.searchParams.set('access_token', token); // EventSource cannot send headers
    }
    const outcome = await this.#eventSource(url);
    if (outcome.kind === 'failed' && outcome.cause === 'refused_or_unreachable' && !this.#stopped
        && typeof globalThis.fetch === 'function') {
      // EventSource does not say why it failed before opening: a 401, a 404 or a network fault look the same.
      // One GET of the same URL tells, and a refusal then stops or renews the token as over fetch.
      return this.#probe(url);
    }
    return outcome;
  }

  async #probe(url) {
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const response = await globalThis.fetch(url, { headers: { Accept: 'text/event-stream' }, signal: abort.signal,
        credentials: this.#options.withCredentials ? 'include' : 'same-origin' });
      if (response.status !== 200) {
        return await this.#refusal(response);
      }
      abort.abort(); // it would stream: the fault was the network's
      return { kind: 'failed', cause: 'network' };
    } catch (error) {
      return this.#stopped ? { kind: 'stopped' } : { kind: 'failed', cause: 'network', error };
    } finally {
      this.#abort = null;
    }
  }

  #eventSource(url) {
    return new Promise((resolve) => {
      const source = new globalThis.EventSource(url.href, { withCredentials: !!this.#options.withCredentials });
      this.#source = source;
      let ended = null;
      let open = false;
      const { response: responseTimeout, idle } = this.#timeouts();
      const watchdog = new Watchdog(responseTimeout, () => finish({ kind: 'failed', cause: 'response_timeout' }));
      this.#watchdog = watchdog;
      const finish = (outcome) => {
        watchdog.stop();
        source.close();
        this.#source = null;
        this.#sourceDone = null;
        resolve(outcome);
      };
      this.#sourceDone = () => finish({ kind: 'stopped' });
      this.#sourceListener = (e) => {
        watchdog.touch();
        const reason = this.#dispatch({ event: e.type, data: e.data, id: e.lastEventId || null });
        if (reason) {
          ended = reason;
        }
      };
      // EventSource delivers a named event only to listeners of that name: every name this stream may carry.
      const names = new Set([...CONTROL, ...this.#byEvent.keys(), ...this.#listeners.keys(), 'message']);
      LIFECYCLE.forEach((name) => names.delete(name));
      names.forEach((name) => source.addEventListener(name, this.#sourceListener));
      source.onopen = () => {
        open = true;
        watchdog.touch(idle, () => finish({ kind: 'failed', cause: 'idle_timeout' }));
        this.#opened();
      };
      source.onerror = () => {
        // EventSource would reconnect by itself, but with the token it has: this stream decides instead.
        if (ended) {
          finish(this.#ended(ended));
        } else {
          finish({ kind: 'failed', cause: open ? 'network' : 'refused_or_unreachable' });
        }
      };
    });
  }

  #sourceListener = null;
  #sourceDone = null;

  #opened() {
    this.#emit('open', { connections: this.#connections });
  }

  // ---- events ---------------------------------------------------------------------------------------------------

  /** One event from the wire; returns the `stream_end` reason when it is one. */
  #dispatch(raw) {
    if (this.#stopped) {
      return null; // closed by a listener of an earlier event of the same chunk
    }
    if (raw.id) {
      this.#cursor = raw.id;
    }
    let envelope;
    try {
      envelope = JSON.parse(raw.data);
    } catch (error) {
      this.#emit('error', { cause: 'malformed_event', event: raw.event, data: raw.data, error });
      return null;
    }
    const data = envelope?.data;
    const event = { event: raw.event, data, timestamp: envelope?.timestamp, id: raw.id };
    if (envelope?.traceparent) {
      event.traceparent = envelope.traceparent;
    }
    let ended = null;
    switch (raw.event) {
      case 'connected':
        // The bridge accepted the stream: failures and refusals count from zero again.
        this.#unauthorized = 0;
        this.#failures = 0;
        this.#learnEventNames(data?.events);
        if (this.#resuming) {
          this.#snapshotsResumed();
        }
        break;
      case 'ping':
        break;
      case 'snapshot_end':
        event.channel = data?.channel;
        this.#snapshotDone(data);
        break;
      case 'stream_end':
        ended = data?.reason ?? 'unknown';
        break;
      case 'delete':
        event.channel = data?.channel ?? (this.#channels.length === 1 ? this.#channels[0].name : undefined);
        this.#deleted(event.channel, data?.key);
        break;
      case 'replay_gap':
        event.channel = data?.channel;
        break;
      default: {
        // A stream of one channel needs no event names to know whose an event is.
        const channel = this.#byEvent.get(raw.event) ?? (this.#channels.length === 1 ? this.#channels[0] : undefined);
        if (channel) {
          event.channel = channel.name;
          this.#keep(channel, data);
        }
      }
    }
    this.#emit(raw.event, event);
    this.#emit('event', event);
    return ended;
  }

  /**
   * The bridge names each channel's event in `connected`: from then on events are known by channel (state, the
   * `channel` of each event), and an EventSource listens to them (it hands a named event only to its listeners).
   */
  #learnEventNames(events) {
    if (!events || typeof events !== 'object') {
      return;
    }
    for (const [name, event] of Object.entries(events)) {
      const channel = this.#channels.find((c) => c.name === name);
      if (channel && typeof event === 'string' && !this.#byEvent.has(event)) {
        channel.event ??= event;
        this.#byEvent.set(event, channel);
        this.#source?.addEventListener(event, this.#sourceListener);
      }
    }
  }

  #keep(channel, data) {
    const state = this.#states.get(channel.name);
    if (!state || data === null || data === undefined) {
      return;
    }
    let key;
    try {
      key = typeof channel.key === 'function' ? channel.key(data) : data[channel.key];
    } catch (error) {
      // The page's key function failed on this value: the event still reaches listeners; the state skips it.
      this.#emit('error', { cause: 'state_key', event: channel.event, error });
      return;
    }
    if (key === undefined || key === null) {
      return;
    }
    if (channel.stateField) {
      const field = data[channel.stateField];
      let fields = state.get(String(key));
      if (!fields) {
        fields = new Map();
        state.set(String(key), fields);
      }
      fields.set(field === undefined ? '' : String(field), data);
    } else {
      state.set(String(key), data);
    }
  }

  #deleted(channel, key) {
    if (key === undefined || key === null) {
      return;
    }
    // Without a channel (a bridge that did not name it), the key leaves every state that has it.
    for (const [name, state] of this.#states) {
      if (channel === undefined || channel === name) {
        state.delete(String(key));
      }
    }
  }

  /**
   * A stream that resumes from its cursor gets no second snapshot (the replay brings what the first one had not
   * sent yet, then live events): a snapshotEnd still pending resolves with `resumed: true`.
   */
  #snapshotsResumed() {
    if (!this.#options.snapshot) {
      return;
    }
    for (const channel of this.#channels) {
      const waiter = this.#snapshotWaiters.get(channel.name);
      if (!waiter || waiter.resolve) {
        const data = { channel: channel.name, resumed: true };
        if (waiter) {
          waiter.resolve(data);
          waiter.resolve = null;
          waiter.reject = null;
        } else {
          this.#snapshotWaiters.set(channel.name, { promise: Promise.resolve(data) });
        }
      }
    }
  }

  #snapshotDone(data) {
    const channel = data?.channel;
    const waiter = this.#snapshotWaiters.get(channel);
    if (waiter) {
      waiter.resolve?.(data);
      waiter.resolve = null;
      waiter.reject = null;
    } else {
      this.#snapshotWaiters.set(channel, { promise: Promise.resolve(data) });
    }
  }

  #emit(name, value) {
    const listeners = this.#listeners.get(name);
    if (!listeners) {
      return;
    }
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        // A page's listener that throws must not stop the stream: it goes to the `error` listeners, or where
        // uncaught errors go when there are none (or they threw themselves).
        if (name !== 'error' && this.#listeners.get('error')?.size) {
          this.#emit('error', { cause: 'listener', event: name, error });
        } else {
          queueMicrotask(() => { throw error; });
        }
      }
    }
  }

  // ---- the token ------------------------------------------------------------------------------------------------

  /** The token to connect with: the supplier's, asked again when there is none or it expires within the margin. */
  async #currentToken() {
    if (!this.#options.token) {
      return null;
    }
    if (this.#token && !this.#expiring()) {
      return this.#token;
    }
    const reason = this.#token ? 'expiring' : this.#tokenReason;
    this.#tokenReason = 'needed';
    return this.#refreshToken(reason);
  }

  /** Whether the token expires within the margin, by this machine's clock. */
  #expiring() {
    return this.#tokenExpiry !== null && this.#tokenExpiry - Date.now() <= this.#margin();
  }

  #margin() {
    return Math.min(30000, Math.max(200, this.#lifetime * 0.1));
  }

  #lifetime = 0;

  #refreshToken(reason) {
    if (!this.#tokenFetch) {
      this.#tokenFetch = (async () => {
        try {
          const previous = this.#tokenExpiry;
          const token = await this.#options.token({ reason });
          this.#token = token;
          const expiry = jwtExpiry(token);
          this.#tokenExpiry = expiry;
          this.#lifetime = expiry === null ? 0 : Math.max(0, expiry - Date.now());
          if (expiry !== previous) {
            this.#scheduleRefresh(); // the same token again (a supplier that has no newer one): no new timer
          }
          return token;
        } finally {
          this.#tokenFetch = null;
        }
      })();
    }
    return this.#tokenFetch;
  }

  /**
   * Asks for the next token shortly before this one expires, so that the resume after `token_expired` waits for
   * nothing. Never sooner than a second from now: a token already within its margin (a clock ahead of the issuer's)
   * is asked for again when a connection needs one, not in a loop.
   */
  #scheduleRefresh() {
    clearTimeout(this.#tokenTimer);
    this.#tokenTimer = null;
    if (this.#tokenExpiry === null || this.#stopped) {
      return;
    }
    const delay = this.#tokenExpiry - Date.now() - this.#margin();
    if (delay < 1000) {
      return;
    }
    this.#tokenTimer = setTimeout(() => {
      this.#tokenTimer = null;
      this.#refreshToken('expiring').catch((error) => this.#emit('error', { cause: 'token', error }));
    }, delay);
  }

  // ---- stopping -------------------------------------------------------------------------------------------------

  #stop(result) {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    this.#abort?.abort();
    this.#abort = null;
    this.#watchdog?.stop();
    this.#sourceDone?.();
    this.#sleep?.();
    this.#sleep = null;
    clearTimeout(this.#tokenTimer);
    this.#tokenTimer = null;
    for (const waiter of this.#snapshotWaiters.values()) {
      waiter.reject?.(new Error(`the stream stopped (${result.reason}) before the snapshot ended`));
      waiter.promise?.catch(() => {}); // nobody waiting is not an error
    }
    this.#emit('close', result);
    this.#resolveClosed(result);
  }
}

/**
 * Calls `onSilence` once nothing has touched it for `limit` ms. One timer at a time, re-armed only when it fires:
 * a touch per chunk read costs a clock read, not a timer.
 */
class Watchdog {
  #limit;
  #onSilence;
  #last = Date.now();
  #timer = null;

  constructor(limit, onSilence) {
    this.#limit = limit;
    this.#onSilence = onSilence;
    this.#arm(limit);
  }

  /** Activity; with arguments, from now on a new limit and what to do when it passes. */
  touch(limit, onSilence) {
    this.#last = Date.now();
    if (limit !== undefined) {
      this.#limit = limit;
      this.#onSilence = onSilence;
    }
  }

  #arm(delay) {
    this.#timer = setTimeout(() => {
      const quiet = Date.now() - this.#last;
      if (quiet >= this.#limit) {
        this.#timer = null;
        this.#onSilence();
      } else {
        this.#arm(this.#limit - quiet);
      }
    }, delay);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** The `exp` of a JWT in ms since the epoch, or null when the token is not a JWT with one. */
export function jwtExpiry(token) {
  try {
    const payload = token.split('.')[1];
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const text = typeof atob === 'function' ? atob(base64) : Buffer.from(base64, 'base64').toString('binary');
    const exp = JSON.parse(text).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch (e) {
    return null;
  }
}

/** `Retry-After` (seconds or an HTTP date) in ms, or null. */
export function retryAfterMs(value) {
  if (!value) {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
