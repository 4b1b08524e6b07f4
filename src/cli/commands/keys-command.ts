import type { Command } from "commander";
import type { KeyStore } from "../../storage/keys/key-store.js";
import type { IssuedKey, NewVirtualKey, VirtualKey } from "../../storage/keys/virtual-key.js";
import { CliError } from "../cli-error.js";
import { formatKeyDetails, formatKeyTable } from "../keys/format-keys.js";
import { openCliKeyStore } from "../keys/open-cli-key-store.js";

interface StoreOptions {
  config?: string;
  db?: string;
  json?: boolean;
}

interface CreateOptions extends StoreOptions {
  owner: string;
  routers?: string;
  models?: string;
  rpm?: string;
  tpm?: string;
  budget?: string;
  period: string;
}

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `rightsize keys create | list | show | revoke | rotate`: virtual client keys in the configured store. */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("Manage virtual client keys (hashed, in the configured store): limits, budgets, revocation, rotation.");
  const withStore = (command: Command) =>
    command
      .option("-c, --config <file>", "config file whose storage holds the keys (default: $RIGHTSIZE_CONFIG, ./rightsize.yaml)")
      .option("--db <file|url>", "SQLite file or postgres:// URL instead of the config's storage")
      .option("--json", "print JSON");

  withStore(keys.command("create"))
    .description("Create a key; its secret is printed once.")
    .requiredOption("--owner <label>", "who the key belongs to")
    .option("--routers <ids>", "comma-separated router ids it may use (default: all)")
    .option("--models <ids>", "comma-separated model ids it may ask for directly (default: all)")
    .option("--rpm <n>", "requests per minute")
    .option("--tpm <n>", "tokens (prompt + completion) per minute")
    .option("--budget <usd>", "spend limit in USD per period")
    .option("--period <day|month>", "budget period (UTC)", "month")
    .action((options: CreateOptions) =>
      withKeyStore(options, async (store) => {
        const issued = await store.create(newKeyFrom(options));
        printIssued(issued, options.json === true, "Created");
      }),
    );

  withStore(keys.command("list"))
    .description("List every key (revoked ones too).")
    .action((options: StoreOptions) =>
      withKeyStore(options, async (store, where) => {
        const all = await store.list();
        if (options.json) return print(JSON.stringify(all, null, 2));
        if (all.length === 0) return print(`No keys in ${where}; create one with rightsize keys create --owner <label>.`);
        print(`${all.length} keys in ${where}\n\n${formatKeyTable(all)}`.trimEnd());
      }),
    );

  withStore(keys.command("show").argument("<id>", "key id (key_…)"))
    .description("Show one key.")
    .action((id: string, options: StoreOptions) =>
      withKeyStore(options, async (store) => {
        const key = found(id, await store.get(id));
        print(options.json ? JSON.stringify(key, null, 2) : formatKeyDetails(key).trimEnd());
      }),
    );

  withStore(keys.command("revoke").argument("<id>", "key id (key_…)"))
    .description("Revoke a key: its secret stops working (gateways notice within server.virtualKeys.cacheMs).")
    .action((id: string, options: StoreOptions) =>
      withKeyStore(options, async (store) => {
        const key = found(id, await store.revoke(id));
        print(options.json ? JSON.stringify(key, null, 2) : `Revoked ${key.id} (${key.owner}).`);
      }),
    );

  withStore(keys.command("rotate").argument("<id>", "key id (key_…)"))
    .description("Give a key a new secret (same id, limits and spend); the new secret is printed once.")
    .option("--grace <duration>", "how long the old secret keeps working (30s, 10m, 1h, 1d)", "0s")
    .action((id: string, options: StoreOptions & { grace: string }) =>
      withKeyStore(options, async (store) => {
        const graceMs = parseDuration(options.grace);
        const issued = await store.rotate(id, { graceMs });
        if (!issued) {
          const key = await store.get(id);
          throw new CliError(key ? `key ${id} is revoked; create a new one` : `no key ${id}`);
        }
        printIssued(issued, options.json === true, "Rotated");
        if (!options.json && graceMs > 0) print(`The old secret works for ${options.grace} more.`);
      }),
    );
}

async function withKeyStore(options: StoreOptions, use: (store: KeyStore, where: string) => Promise<void>): Promise<void> {
  const { store, where } = await openCliKeyStore(options);
  try {
    await use(store, where);
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

function newKeyFrom(options: CreateOptions): NewVirtualKey {
  const names = (value: string | undefined) =>
    value === undefined
      ? null
      : value
          .split(",")
          .map((name) => name.trim())
          .filter((name) => name !== "");
  const count = (flag: string, value: string | undefined) => {
    if (value === undefined) return null;
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new CliError(`--${flag}: expected a whole number > 0, got "${value}"`);
    return Number(value);
  };
  if (options.period !== "day" && options.period !== "month") {
    throw new CliError(`--period: expected day or month, got "${options.period}"`);
  }
  let budget: NewVirtualKey["budget"] = null;
  if (options.budget !== undefined) {
    const usd = Number(options.budget.replace(/^\$/, ""));
    if (!Number.isFinite(usd) || usd < 0 || options.budget.trim() === "") {
      throw new CliError(`--budget: expected an amount in USD like 25 or 2.50, got "${options.budget}"`);
    }
    budget = { usd, period: options.period };
  }
  return {
    owner: options.owner,
    routers: names(options.routers),
    models: names(options.models),
    rpm: count("rpm", options.rpm),
    tpm: count("tpm", options.tpm),
    budget,
  };
}

function parseDuration(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new CliError(`--grace: expected a duration like 30s, 10m, 1h or 1d, got "${value}"`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

function found(id: string, key: VirtualKey | null): VirtualKey {
  if (!key) throw new CliError(`no key ${id}`);
  return key;
}

function printIssued(issued: IssuedKey, json: boolean, verb: string): void {
  if (json) {
    print(JSON.stringify({ ...issued.key, secret: issued.secret }, null, 2));
    return;
  }
  print(
    `${verb} ${issued.key.id} for ${issued.key.owner}.\n\n  ${issued.secret}\n\n` +
      "This secret is shown once: store it now (rightsize keeps only its hash). Clients send it as\n" +
      `Authorization: Bearer <secret>.\n\n${formatKeyDetails(issued.key).trimEnd()}`,
  );
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
