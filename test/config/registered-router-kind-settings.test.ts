import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { registerRouterKind } from "../../src/routing/router-registry.js";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";

const models = `models:
  - { id: small, provider: openai-compatible, model: s, baseUrl: "http://127.0.0.1:1/v1" }
`;

describe("router kinds registered by library users", () => {
  it("a kind a library user registers without a schema keeps loose settings; with one, it is checked", () => {
    const factory = () => ({ id: "x", kind: "x", targets: [], decide: () => ({ target: "small", score: 0, reason: "" }) });
    registerRouterKind("test-loose", factory);
    registerRouterKind("test-strict", factory, { settings: z.strictObject({ level: z.number() }) });
    const loose = parse(`${models}routers:\n  - { id: a, kind: test-loose, settings: { anything: [1, 2] } }\n`);
    expect(parseGatewayConfig(loose, { env: {} }).routers[0]?.settings).toEqual({ anything: [1, 2] });
    const strict = parse(`${models}routers:\n  - { id: b, kind: test-strict, settings: { level: high } }\n`);
    expect(() => parseGatewayConfig(strict, { env: {} })).toThrow(/routers\[0\]\.settings\.level/);
  });
});
