// Start-up: milliseconds from navigation start to the SDK's `ready` (a visitor with nothing
// stored) and to `authenticated` (a reload with a stored fresh token), against oidc-client-ts's
// UserManager.getUser() from sessionStorage on an equivalent page (scripts/bench/pages/). Ours
// is embedded as README's quick start says (with the wasm preload); the same page without the
// preload is measured too, for comparison.
// Every timed load is a reload of a tab that has loaded its page once, so that none pays for a
// new renderer, and each of ours is compared with oidc-client-ts's at the same place in its tab's
// life (ready: first reload, authenticated: second), whatever a warmer process gains. Ours and
// oidc's alternate which goes first, so drift during the run hits both.
import { median } from "./lib.mjs";
import { siteJwt } from "../../tests/server/tokens.mjs";

export async function measureStartup(browser, baseUrl, { loads }) {
  const samples = { ready: [], authenticated: [], oidcFirst: [], oidcSecond: [] };
  const plain = { ready: [], authenticated: [] };
  for (let i = 0; i < loads; i++) {
    const runs = [
      () => ours(browser, baseUrl, samples),
      () => oidc(browser, baseUrl, samples),
      () => ours(browser, baseUrl, plain, "ours-plain.html"),
    ];
    for (const run of i % 2 ? runs.reverse() : runs) await run();
  }
  const ready = median(samples.ready);
  const authenticated = median(samples.authenticated);
  const oidcMs = { ready: median(samples.oidcFirst), authenticated: median(samples.oidcSecond) };
  return {
    loads,
    ready,
    authenticated,
    oidc: oidcMs,
    ratios: { ready: ready / oidcMs.ready, authenticated: authenticated / oidcMs.authenticated },
    plain: { ready: median(plain.ready), authenticated: median(plain.authenticated) },
    probe: await probe(browser, baseUrl),
  };
}

/** A page in a context of its own (its own storage, no cache), closed after `use`. */
async function withPage(browser, use) {
  const context = await browser.newContext();
  try {
    return await use(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Loads (or reloads) the bench page; returns the time it recorded, after checking its status. */
async function timedLoad(page, load, expected) {
  await load();
  const mark = await (await page.waitForFunction(() => window.bench)).jsonValue();
  if (mark.status !== expected) throw new Error(`${page.url()}: ${mark.status}, expected ${expected}`);
  return mark.at;
}

function ours(browser, baseUrl, samples, file = "ours.html") {
  return withPage(browser, async (page) => {
    await timedLoad(page, () => page.goto(`${baseUrl}bench/${file}`), "anonymous");
    samples.ready.push(await timedLoad(page, () => page.reload(), "anonymous"));
    const status = await page.evaluate(() => messenger.loginUser().then((state) => state.status));
    if (status !== "authenticated") throw new Error(`bench login: ${status}`);
    samples.authenticated.push(await timedLoad(page, () => page.reload(), "authenticated"));
  });
}

function oidc(browser, baseUrl, samples) {
  return withPage(browser, async (page) => {
    await timedLoad(page, () => page.goto(`${baseUrl}bench/oidc.html`), "anonymous");
    await page.evaluate((user) => sessionStorage.setItem("oidc.user:https://idp.example.test:bench", user), storedOidcUser());
    samples.oidcFirst.push(await timedLoad(page, () => page.reload(), "authenticated"));
    samples.oidcSecond.push(await timedLoad(page, () => page.reload(), "authenticated"));
  });
}

/** A user as oidc-client-ts's User.toStorageString() writes it, tokens the size of ours. */
function storedOidcUser() {
  const now = Math.floor(Date.now() / 1000);
  const token = siteJwt({ username: "bench" }, { now, ttl: 600 });
  return JSON.stringify({
    id_token: token,
    session_state: null,
    access_token: token,
    token_type: "Bearer",
    scope: "openid profile email",
    profile: { sub: "bench", name: "bench", email: "bench@example.test", iat: now, exp: now + 600 },
    expires_at: now + 600,
  });
}

/**
 * One more load of ours, not timed, with WebAssembly's entry points watched: was the wasm
 * compiled while it streamed in, and which files of /messenger/ did the page fetch (the
 * size total counts what dist/ holds; this shows what a page really downloads).
 */
function probe(browser, baseUrl) {
  return withPage(browser, async (page) => {
    await page.addInitScript(() => {
      const calls = (window.__wasmCalls = []);
      for (const name of ["instantiateStreaming", "compileStreaming", "instantiate", "compile"]) {
        const original = WebAssembly[name];
        WebAssembly[name] = function (...args) {
          calls.push(name);
          return original.apply(this, args);
        };
      }
    });
    const fetched = [];
    page.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/messenger/")) fetched.push(pathname.slice("/messenger/".length));
    });
    await timedLoad(page, () => page.goto(`${baseUrl}bench/ours.html`), "anonymous");
    const calls = await page.evaluate(() => window.__wasmCalls);
    return { wasmCalls: calls, streaming: calls.includes("instantiateStreaming") || calls.includes("compileStreaming"), fetched: fetched.sort() };
  });
}
