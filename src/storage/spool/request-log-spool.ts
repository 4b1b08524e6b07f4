import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from "node:fs";
import type { RequestLogRecord } from "../request-log-store.js";
import type { SpoolSlot } from "./spool-slot-lock.js";
import { acquireSpoolSlot } from "./spool-slot-lock.js";

export interface RequestLogSpoolOptions {
  /** Largest the spool file may grow; records beyond it are refused (the caller reports them). */
  maxBytes: number;
  /** Told about damaged lines found while reading (a partial last line after a crash, invalid JSON). */
  onError?: (error: Error) => void;
}

export interface SpoolChunk {
  records: RequestLogRecord[];
  /** Bytes these records (and any damaged lines between them) take in the file. */
  bytes: number;
  /** Lines between them that were not valid JSON (skipped). */
  damaged: number;
}

const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * A local first-in-first-out file of request records (JSON lines) for a store whose database
 * is unreachable. Records are appended with synchronous writes (so they can also be written
 * from an `exit` handler) and read back in order; once every record has been consumed the file
 * is truncated. It survives the process: a store that opens the same folder later finds and
 * replays what is left, from the read position kept next to it (`.offset`; a record consumed
 * just before a crash may come back once, which the idempotent insert absorbs). Not fsynced per
 * write: a process crash loses nothing, a power loss may lose the last writes.
 */
export class RequestLogSpool {
  private size: number;
  private readOffset = 0;
  private pending: number;
  private closed = false;

  private readonly offsetFd: number;

  private constructor(
    private readonly slot: SpoolSlot,
    private readonly fd: number,
    private readonly options: RequestLogSpoolOptions,
  ) {
    this.size = fstatSync(fd).size;
    this.readOffset = this.readSavedOffset();
    this.offsetFd = openSync(this.offsetFile, "a+", 0o600);
    this.pending = this.recoverAndCount();
  }

  private get offsetFile(): string {
    return `${this.slot.file}.offset`;
  }

  /** Takes a free slot of `dir` (creating the folder) and opens its spool file. */
  static open(dir: string, options: RequestLogSpoolOptions): RequestLogSpool {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const slot = acquireSpoolSlot(dir);
    try {
      return new RequestLogSpool(slot, openSync(slot.file, "a+", 0o600), options);
    } catch (error) {
      slot.release();
      throw error;
    }
  }

  get file(): string {
    return this.slot.file;
  }

  /** Bytes of records not yet consumed (what a metrics layer reports as the spool size). */
  get bytes(): number {
    return this.size - this.readOffset;
  }

  /** Records not yet consumed. */
  get records(): number {
    return this.pending;
  }

  /**
   * Appends records in order; returns how many were written. Those that would take the file
   * past `maxBytes` (and, on a write error such as a full disk, the whole call) are not written.
   */
  append(records: readonly RequestLogRecord[]): number {
    if (this.closed || records.length === 0) return 0;
    const lines: string[] = [];
    let bytes = 0;
    for (const record of records) {
      const line = `${JSON.stringify(record)}\n`;
      const length = Buffer.byteLength(line);
      if (this.size + bytes + length > this.options.maxBytes) break;
      lines.push(line);
      bytes += length;
    }
    if (lines.length === 0) return 0;
    const buffer = Buffer.from(lines.join(""));
    try {
      let written = 0;
      while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written);
    } catch (error) {
      ftruncateSync(this.fd, this.size);
      this.options.onError?.(new Error(`spool ${this.file}: write failed: ${(error as Error).message}`));
      return 0;
    }
    this.size += buffer.length;
    this.pending += lines.length;
    return lines.length;
  }

  /** Up to `max` records from the front, without consuming them. */
  peek(max: number): SpoolChunk {
    const records: RequestLogRecord[] = [];
    let damaged = 0;
    let offset = this.readOffset;
    let carry = Buffer.alloc(0);
    while (records.length < max && offset < this.size) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, this.size - offset));
      const read = readSync(this.fd, chunk, 0, chunk.length, offset);
      if (read === 0) break;
      offset += read;
      let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end !== -1 && records.length < max; end = data.indexOf(NEWLINE, start)) {
        const record = parseLine(data.toString("utf8", start, end));
        if (record) records.push(record);
        else damaged += 1;
        start = end + 1;
      }
      if (records.length >= max) {
        offset -= data.length - start;
        carry = Buffer.alloc(0);
        break;
      }
      data = data.subarray(start);
      carry = Buffer.from(data);
    }
    return { records, bytes: offset - carry.length - this.readOffset, damaged };
  }

  /** Marks a peeked chunk as done; the file is emptied once nothing is left in it. */
  consume(chunk: SpoolChunk): void {
    this.readOffset += chunk.bytes;
    this.pending = Math.max(0, this.pending - chunk.records.length - chunk.damaged);
    if (chunk.damaged > 0) this.options.onError?.(new Error(`spool ${this.file}: skipped ${chunk.damaged} damaged lines`));
    if (this.readOffset >= this.size) this.reset();
    else this.saveOffset();
  }

  /** Closes the file and frees the slot; an empty spool file is removed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const empty = this.bytes === 0;
    closeSync(this.fd);
    closeSync(this.offsetFd);
    if (empty) {
      for (const file of [this.file, this.offsetFile]) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
    }
    this.slot.release();
  }

  private reset(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
    this.readOffset = 0;
    this.pending = 0;
    this.saveOffset();
  }

  private saveOffset(): void {
    ftruncateSync(this.offsetFd, 0);
    writeSync(this.offsetFd, String(this.readOffset));
  }

  /** The read position a previous holder saved, if it still points at the start of a line. */
  private readSavedOffset(): number {
    let offset: number;
    try {
      offset = Number.parseInt(readFileSync(this.offsetFile, "utf8"), 10);
    } catch {
      return 0;
    }
    if (!Number.isInteger(offset) || offset <= 0 || offset > this.size) return 0;
    const before = Buffer.alloc(1);
    readSync(this.fd, before, 0, 1, offset - 1);
    return before[0] === NEWLINE ? offset : 0;
  }

  /** Counts the complete lines past the read position; cuts a partial last line a crashed writer left. */
  private recoverAndCount(): number {
    let lines = 0;
    let lastNewline = -1;
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    for (let offset = 0; offset < this.size; ) {
      const read = readSync(this.fd, chunk, 0, Math.min(READ_CHUNK, this.size - offset), offset);
      if (read === 0) break;
      for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < read; i = chunk.indexOf(NEWLINE, i + 1)) {
        if (offset + i >= this.readOffset) lines += 1;
        lastNewline = offset + i;
      }
      offset += read;
    }
    if (lastNewline + 1 < this.size) {
      this.options.onError?.(
        new Error(`spool ${this.file}: cut a partial record at its end (${this.size - lastNewline - 1} bytes a stopped process left)`),
      );
      ftruncateSync(this.fd, lastNewline + 1);
      this.size = lastNewline + 1;
    }
    return lines;
  }
}

function parseLine(line: string): RequestLogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string"
      ? (value as RequestLogRecord)
      : undefined;
  } catch {
    return undefined;
  }
}
