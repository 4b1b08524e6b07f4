import { afterEach, describe, expect, it } from "vitest";
import { hashKeySecret } from "../../src/storage/keys/key-secret.js";
import { SqliteKeyStore } from "../../src/storage/keys/sqlite-key-store.js";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema } from "../support/postgres-test-database.js";
import { runCli } from "../support/run-cli.js";
import { makeTempDir } from "../storage/request-log-fixtures.js";

const postgres = await postgresAvailable();

describe("rightsize keys", () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  const dbFile = () => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir.file("rightsize.db");
  };

  it("create prints the secret once; the store keeps only its hash, with the limits given", async () => {
    const db = dbFile();
    const created = await runCli(
      "keys",
      "create",
      "--db",
      db,
      "--owner",
      "team-a",
      "--routers",
      "rightsize/auto",
      "--rpm",
      "60",
      "--tpm",
      "9000",
      "--budget",
      "2.50",
      "--period",
      "day",
      "--json",
    );
    expect(created.code).toBe(0);
    const issued = JSON.parse(created.out) as { id: string; secret: string; rpm: number; budget: unknown; routers: string[] };
    expect(issued).toMatchObject({ rpm: 60, budget: { usd: 2.5, period: "day" }, routers: ["rightsize/auto"] });
    const store = await SqliteKeyStore.open(db);
    try {
      expect((await store.findBySecretHash(hashKeySecret(issued.secret)))?.id).toBe(issued.id);
    } finally {
      await store.close();
    }
    const listed = await runCli("keys", "list", "--db", db);
    expect(listed.out).toContain(issued.id);
    expect(listed.out).toContain("$2.5/day");
    expect(listed.out).not.toContain(issued.secret);
    const shown = await runCli("keys", "show", issued.id, "--db", db);
    expect(shown.out).toMatch(/requests\/min\s+60/);
    expect(shown.out).not.toContain(issued.secret);
  });

  it("rotate prints a new secret, revoke ends the key; unknown ids and bad flags are clear errors", async () => {
    const db = dbFile();
    const created = JSON.parse((await runCli("keys", "create", "--db", db, "--owner", "o", "--json")).out) as {
      id: string;
      secret: string;
    };
    const rotated = await runCli("keys", "rotate", created.id, "--db", db, "--grace", "1h");
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(/Rotated key_[0-9a-f]+ for o\.\n\n {2}rs-[\w-]{43}\n/);
    expect(rotated.out).toContain("The old secret works for 1h more.");
    expect((await runCli("keys", "revoke", created.id, "--db", db)).out).toBe(`Revoked ${created.id} (o).\n`);
    expect((await runCli("keys", "list", "--db", db)).out).toMatch(/revoked \d{4}-/);
    const again = await runCli("keys", "rotate", created.id, "--db", db);
    expect(again).toMatchObject({ code: 1, err: `rightsize: key ${created.id} is revoked; create a new one\n` });
    expect(await runCli("keys", "show", "key_000000000000", "--db", db)).toMatchObject({
      code: 1,
      err: "rightsize: no key key_000000000000\n",
    });
    expect((await runCli("keys", "create", "--db", db, "--owner", "o", "--rpm", "ten")).err).toContain(
      '--rpm: expected a whole number > 0, got "ten"',
    );
    expect((await runCli("keys", "create", "--db", db, "--owner", "o", "--period", "week")).err).toContain(
      "--period: expected day or month",
    );
    expect((await runCli("keys", "rotate", created.id, "--db", db, "--grace", "soon")).err).toContain("--grace: expected a duration");
  });

  it.runIf(postgres)("manages the keys of a PostgreSQL store (--db postgres://…)", async () => {
    const schema = uniqueSchema("clikeys");
    const dir = makeTempDir();
    dirs.push(dir);
    const config = dir.file("rightsize.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(config, `storage:\n  kind: postgres\n  url: ${TEST_POSTGRES_URL}\n  postgres:\n    schema: ${schema}\nmodels: []\n`);
    try {
      const created = await runCli("keys", "create", "--config", config, "--owner", "pg-team", "--budget", "10");
      expect(created.code).toBe(0);
      const listed = await runCli("keys", "list", "--config", config);
      expect(listed.out).toContain("pg-team");
      expect(listed.out).toContain("$10/month");
    } finally {
      await dropSchema(schema);
    }
  });
});
