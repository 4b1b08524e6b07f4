/**
 * The one Server-Sent Events parser every provider uses (WHATWG event-stream rules).
 * Incremental: feed it text chunks as they arrive, split anywhere (inside a line, between
 * CR and LF); it calls `onEvent` once per complete event. Handles LF, CRLF and CR line
 * ends, multi-line `data`, comments (`:` lines), `event`, `id` and a leading BOM.
 * Chunks must be decoded text (set the body's encoding to utf8 so multi-byte characters
 * split across network chunks are joined before they get here).
 */
export interface SseEvent {
  /** The event type; `message` when the stream names none. */
  event: string;
  /** The data lines joined with `\n`. */
  data: string;
  /** The last event id seen on the stream, if any. */
  id: string | undefined;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;

export class SseParser {
  private buffer = "";
  private pendingCarriageReturn = false;
  private firstChunk = true;
  private data = "";
  private hasData = false;
  private eventType = "";
  private lastId: string | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Parses a chunk; complete events are dispatched before this returns. */
  feed(chunk: string): void {
    let text = chunk;
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCarriageReturn && text.length > 0) {
      this.pendingCarriageReturn = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    if (this.buffer.length > 0) {
      text = this.buffer + text;
      this.buffer = "";
    }
    const length = text.length;
    let start = 0;
    let lf = text.indexOf("\n");
    let cr = text.indexOf("\r");
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 === length) {
          next = length;
          this.pendingCarriageReturn = true;
        } else {
          next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        }
      }
      this.line(text, start, end);
      start = next;
    }
    if (start < length) this.buffer = start === 0 ? text : text.slice(start);
  }

  /** True when a partial line or an undispatched event is pending (the stream ended mid-event). */
  hasPending(): boolean {
    return this.buffer.length > 0 || this.hasData;
  }

  private line(text: string, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    if (text.charCodeAt(start) === COLON) return;
    const colon = text.indexOf(":", start);
    let field: string;
    let value: string;
    if (colon === -1 || colon >= end) {
      field = text.slice(start, end);
      value = "";
    } else {
      field = text.slice(start, colon);
      let valueStart = colon + 1;
      if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
      value = text.slice(valueStart, end);
    }
    switch (field) {
      case "data":
        if (this.hasData) this.data += "\n" + value;
        else {
          this.data = value;
          this.hasData = true;
        }
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.hasData) {
      const event: SseEvent = { event: this.eventType || "message", data: this.data, id: this.lastId };
      this.data = "";
      this.hasData = false;
      this.eventType = "";
      this.onEvent(event);
    } else {
      this.eventType = "";
    }
  }
}
