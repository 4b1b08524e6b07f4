import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Everything after the header block, as received (chunked framing included). */
  body: string;
  /** Milliseconds from sending to the server closing the connection. */
  elapsedMs: number;
}

export interface RawConnection {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves once the received text contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves once the server closed the connection, with the parsed response. */
  closed: Promise<RawResponse>;
}

/** Sends raw bytes (a hand-written HTTP request) over a real socket and reads until the server closes. */
export function rawConnection(port: number, request: string | Buffer): RawConnection {
  const socket = connect(port, "127.0.0.1");
  const started = performance.now();
  let text = "";
  const waiters: (() => void)[] = [];
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on("error", () => undefined);
  socket.write(request);
  const closed = new Promise<RawResponse>((resolve) => {
    socket.once("close", () => resolve({ ...parseResponse(text), elapsedMs: performance.now() - started }));
  });
  return {
    socket,
    received: () => text,
    async waitFor(needle, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while (!text.includes(needle)) {
        if (socket.destroyed) throw new Error(`connection closed before "${needle}" arrived; got:\n${text}`);
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`"${needle}" did not arrive within ${timeoutMs} ms; got:\n${text}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    closed,
  };
}

/** One request, read until the server closes the connection (send `Connection: close` or HTTP/1.0). */
export function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return rawConnection(port, request).closed;
}

function parseResponse(text: string): Omit<RawResponse, "elapsedMs"> {
  const end = text.indexOf("\r\n\r\n");
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: end < 0 ? "" : text.slice(end + 4) };
}

/** A JSON POST to /v1/chat/completions written by hand. */
export function chatRequestText(body: unknown, options: { version?: "1.0" | "1.1"; headers?: Record<string, string> } = {}): string {
  const json = JSON.stringify(body);
  const headers = {
    host: "127.0.0.1",
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(json)),
    ...(options.version === "1.0" ? {} : { connection: "close" }),
    ...options.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `POST /v1/chat/completions HTTP/${options.version ?? "1.1"}\r\n${head}\r\n${json}`;
}
