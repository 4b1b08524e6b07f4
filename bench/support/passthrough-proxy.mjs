// The floor for an HTTP gateway on this machine: node:http in, undici out, bytes relayed
// without parsing, validation, routing, logging or metrics. bench/overhead measures it as a
// reference row. Usage: node passthrough-proxy.mjs <upstream-origin>
import { createServer } from "node:http";
import { Pool } from "undici";

const upstream = new Pool(process.argv[2], { connections: 128, pipelining: 1 });
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    upstream
      .request({
        method: "POST",
        path: req.url,
        headers: { "content-type": "application/json", authorization: "Bearer sk-upstream" },
        body: Buffer.concat(chunks),
      })
      .then(({ statusCode, headers, body }) => {
        res.writeHead(statusCode, { "content-type": headers["content-type"] });
        body.on("data", (chunk) => res.write(chunk));
        body.on("end", () => res.end());
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`passthrough on http://127.0.0.1:${server.address().port}`));
