import { z } from "zod";
import { compileUserRegex } from "../core/compile-user-regex.js";

/** `storage:` — where the request log lives (SQLite file or PostgreSQL) and what is redacted from it. */

const positiveInt = () => z.number().int().positive();

export const postgresStorageSchema = z.strictObject({
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "use lowercase letters, digits and _ (a PostgreSQL schema name)")
    .default("rightsize")
    .describe("PostgreSQL schema holding rightsize's tables (created by the migrations)."),
  spoolDir: z
    .string()
    .min(1)
    .default("rightsize-spool")
    .describe("Folder of the local spool rows go to while PostgreSQL is down or slow (relative to the config file)."),
  maxSpoolBytes: positiveInt()
    .default(1024 * 1024 * 1024)
    .describe("Spool size limit; rows beyond it are dropped and reported."),
  batchSize: positiveInt().default(1000).describe("Rows per multi-row insert."),
  batchMs: positiveInt().default(20).describe("Longest a row waits in memory before its batch is written."),
  writers: positiveInt().default(2).describe("Batches written at once (writer connections)."),
  maxQueue: positiveInt().default(20_000).describe("Rows held in memory; beyond that they spill to the spool."),
  writeTimeoutMs: positiveInt().default(10_000).describe("A batch insert slower than this counts as a failure (rows go to the spool)."),
  retryMinMs: positiveInt().default(250).describe("First reconnect delay after PostgreSQL failed; doubles up to retryMaxMs."),
  retryMaxMs: positiveInt().default(10_000),
  poolSize: positiveInt().default(4).describe("Connections for reads (the writer has its own)."),
  durable: z
    .boolean()
    .default(false)
    .describe(
      "Write each row to the local spool before the answer is sent (survives SIGKILL: no answered request loses its row); PostgreSQL takes them from the spool in batches.",
    ),
});

const storageKindFields = {
  kind: z.enum(["sqlite", "postgres"]).default("sqlite").describe("sqlite (a local file, the default) or postgres (shared by N gateways)."),
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional()
    .describe("PostgreSQL connection URL (kind: postgres), e.g. ${DATABASE_URL}."),
  postgres: postgresStorageSchema.prefault({}),
};

function checkStorageKind(storage: { kind: string; url?: string | undefined }, ctx: z.core.$RefinementCtx): void {
  if (storage.kind === "postgres" && storage.url === undefined) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "kind: postgres needs url (e.g. postgres://user@host:5432/db)" });
  }
  if (storage.kind === "sqlite" && storage.url !== undefined) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "url is for kind: postgres (SQLite uses path)" });
  }
}

const userRegex = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      compileUserRegex(source);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `invalid regular expression: ${(error as Error).message}` });
    }
  });

export const redactSchema = z
  .strictObject({
    extraPatterns: z
      .array(userRegex)
      .default([])
      .describe(
        "Regular expressions (a leading (?i) = case-insensitive) whose matches are redacted too, besides the built-in credential shapes.",
      ),
    pii: z
      .union([z.boolean(), z.array(z.enum(["email", "phone", "card", "iban"])).min(1)])
      .default(false)
      .describe("Also redact personal data: true for every kind, or a list of email, phone, card (Luhn-checked), iban (mod-97-checked)."),
  })
  .describe("What is redacted from stored prompts, answers and errors (known secrets and credential shapes always are).");

export const storageSchema = z
  .strictObject({
    ...storageKindFields,
    path: z.string().min(1).default("rightsize.db").describe("SQLite file of the request log (':memory:' for none on disk)."),
    logContent: z.boolean().default(true).describe("Store prompts and answers (secrets redacted)."),
    redact: redactSchema.prefault({}),
    enabled: z.boolean().default(true),
  })
  .superRefine(checkStorageKind);

export type StorageConfig = z.output<typeof storageSchema>;
export type PostgresStorageConfig = z.output<typeof postgresStorageSchema>;
export type RedactConfig = z.output<typeof redactSchema>;
