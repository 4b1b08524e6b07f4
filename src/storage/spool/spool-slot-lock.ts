import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** One numbered slot of a spool folder, held by this process until released. */
export interface SpoolSlot {
  index: number;
  /** The slot's spool file (it may hold rows a previous holder left). */
  file: string;
  release(): void;
}

const heldHere = new Set<string>();
const TAKEOVER_STALE_MS = 10_000;

/**
 * Takes the first free slot of `dir`: slot i is held while `spool-i.lock` names a live process.
 * Several gateways on one machine may share a folder (each gets its own slot), and a gateway
 * that starts after a crash takes over a dead holder's slot — and the rows in its spool. The
 * lock is created exclusively (`wx`); taking over a dead holder's lock goes through a second
 * exclusive file so two starting processes cannot both take the same slot.
 */
export function acquireSpoolSlot(dir: string, maxSlots = 256): SpoolSlot {
  for (let index = 0; index < maxSlots; index++) {
    const lock = join(dir, `spool-${index}.lock`);
    if (heldHere.has(lock)) continue;
    if (tryCreateLock(lock) || (holderIsDead(lock) && tryTakeOver(lock))) {
      heldHere.add(lock);
      let released = false;
      return {
        index,
        file: join(dir, `spool-${index}.jsonl`),
        release: () => {
          if (released) return;
          released = true;
          heldHere.delete(lock);
          try {
            unlinkSync(lock);
          } catch {
            // already gone
          }
        },
      };
    }
  }
  throw new Error(`${dir}: all ${maxSlots} spool slots are held by running processes`);
}

function tryCreateLock(lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function holderIsDead(lock: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lock, "utf8"), 10);
  } catch {
    return true;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  // Our own pid in a lock we do not hold: left by an earlier process with the same pid (containers restart as pid 1).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function tryTakeOver(lock: string): boolean {
  const takeover = `${lock}.takeover`;
  if (!tryCreateLock(takeover)) {
    if (!isOlderThan(takeover, TAKEOVER_STALE_MS)) return false;
    unlinkQuietly(takeover);
    if (!tryCreateLock(takeover)) return false;
  }
  try {
    if (!holderIsDead(lock)) return false;
    unlinkQuietly(lock);
    return tryCreateLock(lock);
  } finally {
    unlinkQuietly(takeover);
  }
}

function isOlderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return true;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}
