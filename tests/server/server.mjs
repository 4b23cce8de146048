// The demo and test server: static files, the demo site's login and authentication endpoints,
// and the /test/ fault-injection routes. Binds 127.0.0.1 only.
//
//   node tests/server/server.mjs [--port 8080] [--ttl 600] [--verbose]   (--port 0: any free port)
//   import { startServer } from "./tests/server/server.mjs"; const { url, close } = await startServer({ port: 0 });
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { send, allowCrossOrigin, answerPreflight } from "./http.mjs";
import { serveFile, contentSecurityPolicy } from "./static.mjs";
import { createSite } from "./site.mjs";
import { createFaults } from "./faults.mjs";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Paths other origins may call with credentials (the wasm-bindgen test page is one). */
const CROSS_ORIGIN = /^\/(auth|test)\/|^\/log(in|out)$/;

/** Requests not worth counting: the counting routes themselves. */
const UNCOUNTED = new Set(["/test/stats", "/test/reset"]);

/**
 * Starts the server. `root` is the repository (dist/, www/, tests/e2e/pages/ are under it);
 * `ttl` the default lifetime of signed tokens in seconds; `log` prints one line per request.
 */
export function startServer({ port = 0, root = REPO_ROOT, ttl = 600, log = false } = {}) {
  const stats = new Map(); // path -> number of requests
  const routes = {
    ...createSite({ ttl }),
    ...createFaults({ stats, ttl }),
    "GET /favicon.ico": (req, res) => send(res, 204), // browsers ask; a 404 would be a console error
  };
  const context = {
    stubHtml: () => readFileSync(join(root, "www/sdk/stub.html"), "utf8"),
    contentSecurityPolicy,
  };

  const findRoute = (method, path) =>
    routes[`${method} ${path}`] ||
    Object.entries(routes).find(([key]) => key.endsWith("/*") && `${method} ${path}`.startsWith(key.slice(0, -1)))?.[1];

  async function handle(req, res) {
    const url = new URL(req.url, "http://127.0.0.1");
    const path = url.pathname;
    if (CROSS_ORIGIN.test(path)) {
      if (req.method === "OPTIONS") return answerPreflight(req, res);
      allowCrossOrigin(req, res);
    }
    if (!UNCOUNTED.has(path)) stats.set(path, (stats.get(path) || 0) + 1);

    const route = findRoute(req.method, path);
    if (route) return route(req, res, url.searchParams, path, context);
    if (req.method === "GET" && (await serveStatic(res, path))) return;
    send(res, 404, "not found\n");
  }

  function serveStatic(res, path) {
    if (path.startsWith("/messenger/")) {
      // As from a CDN: pages of any origin may fetch the .wasm (no credentials, so `*` is fine).
      return serveFile(res, join(root, "dist"), path.slice("/messenger/".length), { "Access-Control-Allow-Origin": "*" });
    }
    if (path.startsWith("/test/pages/")) return serveFile(res, join(root, "tests/e2e/pages"), path.slice("/test/pages/".length));
    // npm run bench: its pages and the peer it races (no-store, as dist/ is: no cache helps either).
    if (path.startsWith("/bench/oidc/")) return serveFile(res, join(root, "node_modules/oidc-client-ts/dist/browser"), path.slice("/bench/oidc/".length));
    if (path.startsWith("/bench/")) return serveFile(res, join(root, "scripts/bench/pages"), path.slice("/bench/".length));
    return serveFile(res, join(root, "www"), path);
  }

  const server = http.createServer((req, res) => {
    // Only the path is logged: a query could carry anything, and tokens never go in a log.
    if (log) res.on("finish", () => console.log(`${req.method} ${req.url.split("?")[0]} ${res.statusCode}`));
    handle(req, res).catch((error) => {
      const status = error instanceof RangeError || error instanceof SyntaxError || error instanceof URIError ? 400 : 500;
      if (status === 500) console.error(`server: ${req.method} ${req.url.split("?")[0]}: ${error.message}`);
      send(res, status, `${error.message}\n`);
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        stats,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections(); // hanging scenarios and keep-alive sockets
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { port: 8080, ttl: 600, log: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port") options.port = Number(argv[++i]);
    else if (arg === "--ttl") options.ttl = Number(argv[++i]);
    else if (arg === "--verbose") options.log = true;
    else throw new Error(`unknown argument ${arg} (use --port N, --ttl SECONDS, --verbose)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("--port wants 0..65535");
  if (!Number.isFinite(options.ttl)) throw new Error("--ttl wants seconds");
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startServer(parseArgs(process.argv.slice(2)));
  console.log(server.url);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => server.close().then(() => process.exit(0)));
  }
}
