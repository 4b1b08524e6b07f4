// Portkey gateway 1.15.2 on Node 20 fails every streaming request with "TypeError: immutable":
// it edits the headers of the Response that fetch returned, which Node's fetch makes immutable.
// This preload (node --import) hands Portkey a copy with mutable headers, so the reference
// can be measured at all. It costs Portkey one Response copy per request.
const originalFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await originalFetch(...args);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
