import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseGatewayConfig } from "../../src/server/load-gateway-config.js";
import { buildRouters } from "../../src/server/build-routers.js";
import { type RouterReload, RouterReloader } from "../../src/server/router-reloader.js";
import { InProcessArtifacts } from "../../src/state/in-process/in-process-artifacts.js";
import { tempDir } from "../routing/support/shared-slice.js";
import { writeOppositeArtifact } from "../support/opposite-artifacts.js";

async function gatewayRouters(artifact: string, versions: InProcessArtifacts, reloads: RouterReload[]) {
  const config = parseGatewayConfig(
    {
      models: ["small", "large"].map((id) => ({ id, provider: "openai-compatible", model: id, baseUrl: "http://127.0.0.1:1/v1" })),
      routers: [{ id: "learned", kind: "knn", settings: { artifact } }],
    },
    { env: {} },
  );
  const built = await buildRouters(config, { configDir: path.dirname(artifact) });
  const wrapped = await RouterReloader.wrap(config, built, {
    configDir: path.dirname(artifact),
    versions,
    onReload: (reload) => reloads.push(reload),
  });
  await wrapped.reloader.followSharedVersions();
  return wrapped;
}

const request = { model: "learned", messages: [{ role: "user" as const, content: "Hello there, what is new" }] };

describe("router reloads across gateways", () => {
  it("a router promoted on one gateway is reloaded by every gateway that shares the artifact versions", async () => {
    const artifact = path.join(tempDir("shared-versions"), "router.json");
    await writeOppositeArtifact(artifact, "large");
    const versions = new InProcessArtifacts();
    const reloadsA: RouterReload[] = [];
    const reloadsB: RouterReload[] = [];
    const a = await gatewayRouters(artifact, versions, reloadsA);
    const b = await gatewayRouters(artifact, versions, reloadsB);
    expect((await b.routers.get("learned")?.decide(request, { headers: {} }))?.target).toBe("large");

    await writeOppositeArtifact(artifact, "small");
    const promoted = await a.reloader.reload("learned", "admin");
    expect(promoted.outcome).toBe("swapped");
    expect(await versions.get("router:learned")).toBe(promoted.version);
    await vi.waitFor(() => expect(reloadsB.map((r) => r.outcome)).toContain("swapped"));
    expect(reloadsB[0]).toMatchObject({ trigger: "shared-state", version: promoted.version });
    expect((await b.routers.get("learned")?.decide(request, { headers: {} }))?.target).toBe("small");
    a.reloader.close();
    b.reloader.close();
  });

  it("a gateway that starts after a promotion checks the announced version against its artifact file and keeps what the file holds", async () => {
    const artifact = path.join(tempDir("late-gateway"), "router.json");
    await writeOppositeArtifact(artifact, "large");
    const versions = new InProcessArtifacts();
    await versions.set("router:learned", "a-version-this-file-does-not-have");
    const reloads: RouterReload[] = [];
    const late = await gatewayRouters(artifact, versions, reloads);
    // The file holds another version than announced: the gateway reads it (its version is the file's) and keeps serving.
    expect(reloads).toHaveLength(1);
    expect(reloads[0]?.outcome).toBe("unchanged");
    late.reloader.close();
  });
});

describe("version check on the decision path", () => {
  it("reloads in the background when the shared version differs from the one serving (a missed message), once per version", async () => {
    const artifact = path.join(tempDir("version-check"), "router.json");
    await writeOppositeArtifact(artifact, "large");
    const reloads: RouterReload[] = [];
    // A gateway that does not follow the shared versions (as if it missed every message).
    const { reloader, routers } = await gatewayRouters(artifact, new InProcessArtifacts(), reloads);
    reloader.close();
    await writeOppositeArtifact(artifact, "small");
    const { artifactVersion } = await import("../../src/routing/artifact-version.js");
    const promoted = await artifactVersion(artifact);
    reloader.ensureVersion("learned", promoted);
    reloader.ensureVersion("learned", promoted);
    await vi.waitFor(() => expect(reloads.map((r) => r.outcome)).toEqual(["swapped"]));
    expect(reloads[0]?.trigger).toBe("shared-state");
    expect((await routers.get("learned")?.decide(request, { headers: {} }))?.target).toBe("small");
    reloader.ensureVersion("learned", "a-version-no-file-holds");
    reloader.ensureVersion("learned", "a-version-no-file-holds");
    await vi.waitFor(() => expect(reloads).toHaveLength(2));
    expect(reloads[1]?.outcome).toBe("unchanged");
  });
});
