import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dropSchema, postgresAvailable, TEST_POSTGRES_URL, uniqueSchema, withPostgres } from "../support/postgres-test-database.js";
import { startShadowGateway } from "../support/start-shadow-gateway.js";

const available = await postgresAvailable();
const schema = uniqueSchema("shadow");

describe.skipIf(!available)("shadow evaluation with the PostgreSQL request log", () => {
  afterAll(async () => dropSchema(schema));

  it("writes the judgments to PostgreSQL beside the served requests", async () => {
    const spoolDir = mkdtempSync(path.join(tmpdir(), "rightsize-shadow-spool-"));
    const t = await startShadowGateway({
      edit: (c) => {
        c.storage = { kind: "postgres", url: TEST_POSTGRES_URL, postgres: { schema, spoolDir } };
      },
    });
    try {
      const { response } = await t.client.chat.completions
        .create({ model: "rightsize/auto", messages: [{ role: "user", content: "hard question [family:C]" }] })
        .withResponse();
      const rows = await t.shadowRows();
      expect(rows).toMatchObject([{ requestId: response.headers.get("x-request-id"), direction: "down", shadowModel: "small", score: 0 }]);
      const stored = await withPostgres((client) =>
        client.query(`SELECT request_id, shadow_model, score FROM "${schema}".shadow_judgments`).then((r) => r.rows),
      );
      expect(stored).toEqual([{ request_id: response.headers.get("x-request-id"), shadow_model: "small", score: 0 }]);
    } finally {
      await t.close();
    }
  });
});
