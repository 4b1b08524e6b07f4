import { createHash } from "node:crypto";

/**
 * Train or validation for an example, decided by its episode (or its request when it has none):
 * every request of one episode lands on the same side, and the same log always splits the same way.
 */
export function splitByEpisode(episodeId: string | undefined, requestId: string, validationShare: number): "train" | "validation" {
  const key = episodeId !== undefined ? `episode:${episodeId}` : `request:${requestId}`;
  const digest = createHash("sha256").update(key).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < validationShare ? "validation" : "train";
}
