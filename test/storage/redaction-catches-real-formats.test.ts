import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/storage/create-redactor.js";
import { passesIbanCheck, passesLuhn } from "../../src/storage/pii-rules.js";
import { REDACTED, redactSecrets } from "../../src/storage/redact-secrets.js";
import { LOOK_ALIKES, PII_LOOK_ALIKES, PII_SAMPLES, SECRET_SAMPLES } from "./redaction-corpus.js";

describe("secret redaction catches real credential formats", () => {
  for (const sample of SECRET_SAMPLES) {
    it(sample.name, () => {
      const redacted = redactSecrets(sample.text);
      expect(redacted).not.toContain(sample.secret);
      expect(redacted).toContain(REDACTED);
    });
  }

  it("keeps the name of a key = value pair and the user of a URL", () => {
    expect(redactSecrets("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toBe(`aws_secret_access_key=${REDACTED}`);
    expect(redactSecrets("postgres://app:s3cr3t@db:5432/x")).toBe(`postgres://app:${REDACTED}@db:5432/x`);
  });

  it("keeps JSON valid", () => {
    for (const sample of SECRET_SAMPLES) {
      const json = JSON.stringify({ content: sample.text });
      expect(() => JSON.parse(redactSecrets(json))).not.toThrow();
      expect(redactSecrets(json)).not.toContain(sample.secret);
    }
  });
});

describe("secret redaction leaves look-alikes alone", () => {
  for (const text of LOOK_ALIKES) {
    it(JSON.stringify(text.slice(0, 60)), () => {
      expect(redactSecrets(text)).toBe(text);
    });
  }

  it("stays linear on hostile input (long identifier chains, unterminated key blocks)", () => {
    const chain = `${"a_".repeat(500_000)}password=x`;
    expect(redactSecrets(chain).endsWith("password=x")).toBe(true);
    const block = `-----BEGIN PRIVATE KEY-----${"A".repeat(1_000_000)}`;
    expect(redactSecrets(block)).toBe(REDACTED);
  });
});

describe("the opt-in personal-data set", () => {
  const redact = createRedactor({ pii: true });

  for (const sample of PII_SAMPLES) {
    it(`${sample.kind}: ${sample.value}`, () => {
      const redacted = redact(sample.text);
      expect(redacted).not.toContain(sample.value);
      expect(redacted).toContain(`[REDACTED:${sample.kind}]`);
    });
  }

  for (const text of PII_LOOK_ALIKES) {
    it(`keeps ${JSON.stringify(text.slice(0, 50))}`, () => {
      expect(redact(text)).toBe(text);
    });
  }

  it("is off by default and can be limited to some kinds", () => {
    const text = "mail alice@example.com, card 4111 1111 1111 1111";
    expect(createRedactor()(text)).toBe(text);
    expect(createRedactor({ pii: ["card"] })(text)).toBe("mail alice@example.com, card [REDACTED:card]");
  });

  it("checks card numbers with Luhn and IBANs with mod 97", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesIbanCheck("GB82WEST12345698765432")).toBe(true);
    expect(passesIbanCheck("GB00WEST12345698765432")).toBe(false);
  });
});

describe("configured extra patterns", () => {
  it("redact their matches, (?i) making them case-insensitive", () => {
    const redact = createRedactor({ extraPatterns: ["(?i)acme-[a-z0-9]{8}", /EMP\d{6}/] });
    expect(redact("ticket ACME-ab12cd34 for EMP123456")).toBe(`ticket ${REDACTED} for ${REDACTED}`);
  });
});
