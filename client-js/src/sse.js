// The event-stream format (WHATWG HTML, "Server-sent events", parsing an event stream), fed with text as it
// arrives. It is what EventSource does inside; the client needs it itself to stream over fetch, where it can send
// an Authorization header and see the response's status and headers.

/**
 * Parses an event stream incrementally: `push(text)` takes any piece of the stream (lines may be split anywhere,
 * a CR LF pair too) and calls `onEvent({ event, data, id })` for each complete event and `onRetry(ms)` for each
 * valid `retry:` field. `id` is the last event id in force when the event was dispatched (null when none was ever
 * set), as EventSource's `lastEventId`.
 */
export class EventStreamParser {
  #buffer = '';
  #pendingCR = false;
  #started = false;
  #event = '';
  #data = [];
  #hasData = false;
  #lastId = null;
  #onEvent;
  #onRetry;

  constructor(onEvent, onRetry = () => {}) {
    this.#onEvent = onEvent;
    this.#onRetry = onRetry;
  }

  /** The id in force now: the last `id:` field seen, dispatched or not. */
  get lastEventId() {
    return this.#lastId;
  }

  push(text) {
    let chunk = text;
    if (chunk.length === 0) {
      return; // nothing, and not the end of a CR LF pair either
    }
    if (!this.#started) {
      this.#started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1); // one leading byte order mark is not part of the stream
      }
    }
    if (this.#pendingCR && chunk.startsWith('\n')) {
      chunk = chunk.slice(1); // the LF of a CR LF split across two pieces
    }
    this.#pendingCR = false;
    const all = this.#buffer + chunk;
    let start = 0;
    // The buffer holds no line end (it is the unfinished last line): only the new piece needs scanning.
    for (let i = this.#buffer.length; i < all.length; i++) {
      const c = all.charCodeAt(i);
      if (c === 0x0a || c === 0x0d) {
        this.#line(all.slice(start, i));
        if (c === 0x0d) {
          if (i + 1 < all.length) {
            if (all.charCodeAt(i + 1) === 0x0a) {
              i++;
            }
          } else {
            this.#pendingCR = true;
          }
        }
        start = i + 1;
      }
    }
    this.#buffer = all.slice(start);
  }

  #line(line) {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return; // a comment
    }
    const colon = line.indexOf(':');
    let field = line;
    let value = '';
    if (colon >= 0) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
    }
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.#lastId = value;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.#onRetry(Number(value));
        }
        break;
      default:
        // Unknown fields are ignored, as the format says.
    }
  }

  #dispatch() {
    const event = this.#event || 'message';
    const data = this.#data.join('\n');
    const hasData = this.#hasData;
    this.#event = '';
    this.#data = [];
    this.#hasData = false;
    if (hasData) {
      this.#onEvent({ event, data, id: this.#lastId });
    }
  }
}
