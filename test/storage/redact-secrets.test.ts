import { describe, expect, it } from "vitest";
import { createSecretRedactor, REDACTED, redactSecrets } from "../../src/storage/redact-secrets.js";

const openAiKey = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD";
const projectKey = "sk-proj-Ab3_dE-fGhIjKlMnOpQrStUvWxYz0123456789";
const anthropicKey = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefgh";
const githubToken = "ghp_0123456789abcdefghijABCDEFGHIJklmnop";

describe("redactSecrets", () => {
  it("redacts OpenAI, project and Anthropic keys inside a prompt", () => {
    const text = `Why does ${openAiKey} fail? Also ${projectKey} and ${anthropicKey}.`;
    expect(redactSecrets(text)).toBe(`Why does ${REDACTED} fail? Also ${REDACTED} and ${REDACTED}.`);
  });

  it("redacts AWS access key ids, GitHub tokens, Slack tokens and Google keys", () => {
    const text = `aws AKIAIOSFODNN7EXAMPLE gh ${githubToken} slack xoxb-1234567890-abcdefghij google AIzaSyA1234567890abcdefghijklmnopqrstuv`;
    expect(redactSecrets(text)).toBe(`aws ${REDACTED} gh ${REDACTED} slack ${REDACTED} google ${REDACTED}`);
  });

  it("keeps the Bearer scheme and header names but removes their values", () => {
    const headers = "GET /v1/models\nAuthorization: Bearer abc.def-ghi_jkl\nX-Api-Key: k3y-v4lue-9999\nAuthorization: Basic dXNlcjpwYXNz";
    expect(redactSecrets(headers)).toBe(
      `GET /v1/models\nAuthorization: Bearer ${REDACTED}\nX-Api-Key: ${REDACTED}\nAuthorization: Basic ${REDACTED}`,
    );
  });

  it("redacts key = value pairs in code and config text", () => {
    const code = `client = Client(api_key="abcd1234efgh")\nAPI_KEY=zyxw9876\npassword: hunter22\napiKey: 'q1w2e3r4'`;
    expect(redactSecrets(code)).toBe(
      `client = Client(api_key="${REDACTED}")\nAPI_KEY=${REDACTED}\npassword: ${REDACTED}\napiKey: '${REDACTED}'`,
    );
  });

  it("keeps JSON valid and redacts values inside it, including a JSON-escaped private key", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7\nabc+/=\n-----END RSA PRIVATE KEY-----";
    const json = JSON.stringify({
      messages: [{ role: "user", content: `deploy with ${openAiKey}` }],
      config: { api_key: "plain-secret-value", private_key: pem, note: "keep me" },
      headers: { authorization: "Bearer tok_1234567890" },
    });
    const redacted = redactSecrets(json);
    const parsed = JSON.parse(redacted) as {
      messages: { content: string }[];
      config: Record<string, string>;
      headers: Record<string, string>;
    };
    expect(parsed.messages[0]?.content).toBe(`deploy with ${REDACTED}`);
    expect(parsed.config).toEqual({ api_key: REDACTED, private_key: REDACTED, note: "keep me" });
    expect(parsed.headers.authorization).toBe(`Bearer ${REDACTED}`);
  });

  it("redacts a raw private key block, and one cut off before its END line", () => {
    const block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----";
    expect(redactSecrets(`key:\n${block}\ndone`)).toBe(`key:\n${REDACTED}\ndone`);
    expect(redactSecrets("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).toBe(REDACTED);
  });

  it("redacts known secret values wherever they appear, longest first", () => {
    const redact = createSecretRedactor(["my-upstream-key", "my-upstream-key-2", "cli"]);
    expect(redact("a my-upstream-key-2 b my-upstream-key c cli")).toBe(`a ${REDACTED} b ${REDACTED} c cli`);
  });

  it("escapes regex characters in known secrets", () => {
    expect(createSecretRedactor(["a+b*c(d)"])("x a+b*c(d) y aab")).toBe(`x ${REDACTED} y aab`);
  });

  it("leaves ordinary text, short strings and already-redacted text unchanged", () => {
    const prose = "Explain how tokens and keys work in a keyboard layout, and what a monkey is.";
    expect(redactSecrets(prose)).toBe(prose);
    expect(redactSecrets("sk-short")).toBe("sk-short");
    expect(redactSecrets("")).toBe("");
    const once = redactSecrets(`Authorization: Bearer abcdefghijkl api_key=zzzzzzzz ${openAiKey}`);
    expect(redactSecrets(once)).toBe(once);
  });
});
