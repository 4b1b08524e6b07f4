import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

/** The version of artifact bytes: a short content hash, so the same file is the same version on every gateway. */
export function versionOfBytes(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/** The version of an artifact file. */
export async function artifactVersion(file: string): Promise<string> {
  return versionOfBytes(await readFile(file));
}
