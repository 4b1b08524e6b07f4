import type { VirtualKey } from "../../storage/keys/virtual-key.js";
import { formatTable, formatTime } from "../logs/format-table.js";

export function formatBudget(key: VirtualKey): string {
  return key.budget ? `$${key.budget.usd}/${key.budget.period}` : "-";
}

export function keyStatus(key: VirtualKey): string {
  return key.revokedAt === null ? "active" : `revoked ${formatTime(key.revokedAt)}`;
}

const list = (names: readonly string[] | null) => (names === null ? "all" : names.length === 0 ? "none" : names.join(","));

/** One line per key. */
export function formatKeyTable(keys: readonly VirtualKey[]): string {
  return formatTable(
    [
      { header: "id" },
      { header: "owner" },
      { header: "secret" },
      { header: "routers" },
      { header: "models" },
      { header: "rpm", align: "right" },
      { header: "tpm", align: "right" },
      { header: "budget" },
      { header: "created" },
      { header: "status" },
    ],
    keys.map((key) => [
      key.id,
      key.owner,
      key.hint,
      list(key.routers),
      list(key.models),
      key.rpm === null ? "-" : String(key.rpm),
      key.tpm === null ? "-" : String(key.tpm),
      formatBudget(key),
      formatTime(key.createdAt),
      keyStatus(key),
    ]),
  );
}

/** Every field of one key, one per line. */
export function formatKeyDetails(key: VirtualKey): string {
  const rows: [string, string][] = [
    ["id", key.id],
    ["owner", key.owner],
    ["secret", `${key.hint} (only its hash is stored)`],
    ["routers", list(key.routers)],
    ["models", list(key.models)],
    ["requests/min", key.rpm === null ? "no limit" : String(key.rpm)],
    ["tokens/min", key.tpm === null ? "no limit" : String(key.tpm)],
    ["budget", key.budget ? `$${key.budget.usd} per ${key.budget.period} (UTC)` : "no budget"],
    ["created", formatTime(key.createdAt)],
    ["rotated", key.rotatedAt === null ? "never" : formatTime(key.rotatedAt)],
    ["status", keyStatus(key)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n") + "\n";
}
