// The floor for a gateway built on Fastify: the body parsed and re-serialized as JSON,
// the upstream called with undici, no validation, routing, logging or metrics. bench/overhead
// measures it as a reference row (JSON only: a stream is relayed as bytes).
// Usage: node fastify-passthrough.mjs <upstream-origin>
import Fastify from "fastify";
import { Pool } from "undici";

const upstream = new Pool(process.argv[2], { connections: 128, pipelining: 1 });
const app = Fastify({ logger: false });
app.post("/v1/chat/completions", async (request, reply) => {
  const { statusCode, headers, body } = await upstream.request({
    method: "POST",
    path: "/v1/chat/completions",
    headers: { "content-type": "application/json", authorization: "Bearer sk-upstream" },
    body: JSON.stringify(request.body),
  });
  reply.code(statusCode);
  if (String(headers["content-type"]).startsWith("text/event-stream")) {
    reply.header("content-type", "text/event-stream");
    return reply.send(body);
  }
  return body.json();
});
const address = await app.listen({ port: 0, host: "127.0.0.1" });
console.log(`passthrough on ${address}`);
