// Requests to the authentication endpoint, counted by the test server (/test/stats), each case
// on an endpoint path of its own: what the issue allows is 0, 1, 1 and 0 after the first.
import { openReadyPage, freshEndpoint, requestCount, delay } from "./lib.mjs";

const pageUrl = (baseUrl, endpoint) => `${baseUrl}test/page?${new URLSearchParams({ "data-auth-endpoint": endpoint })}`;

export async function measureRequests(browser, baseUrl) {
  const context = await browser.newContext();
  try {
    const cases = [
      ["a visitor who never logs in", 0, neverLogsIn],
      ["cold start, 50 concurrent getToken()", 1, concurrentGetToken],
      ["three tabs needing a token together", 1, threeTabs],
      ["100 startEngagement(), after the first", 0, startEngagements],
    ];
    const results = [];
    for (const [name, budget, run] of cases) {
      const { requests, error } = await run(context, baseUrl, freshEndpoint());
      results.push({ name, budget, requests, error, ok: requests <= budget && !error });
    }
    return results;
  } finally {
    await context.close();
  }
}

/** Loads the page, lets it wake as a visitor's tab does, then waits for anything late. */
async function neverLogsIn(context, baseUrl, endpoint) {
  const page = await context.newPage();
  await openReadyPage(page, pageUrl(baseUrl, endpoint));
  await page.evaluate(() => {
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event("online"));
    window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
  });
  await delay(1000);
  await page.close();
  return { requests: await requestCount(baseUrl, endpoint) };
}

/** 50 getToken() at once, as soon as the page has loaded (the stub queues them if need be). */
async function concurrentGetToken(context, baseUrl, endpoint) {
  const page = await context.newPage();
  await page.goto(pageUrl(baseUrl, endpoint));
  const tokens = await page.evaluate(() => Promise.all(Array.from({ length: 50 }, () => messenger.getToken())));
  await page.close();
  const error = new Set(tokens).size !== 1 || !tokens[0] ? "the 50 callers did not all get the same token" : undefined;
  return { requests: await requestCount(baseUrl, endpoint), error };
}

/** Three tabs of one origin, each ready, then each asking for a token at the same moment. */
async function threeTabs(context, baseUrl, endpoint) {
  const pages = await Promise.all([1, 2, 3].map(() => context.newPage()));
  await Promise.all(pages.map((page) => openReadyPage(page, pageUrl(baseUrl, endpoint))));
  const tokens = await Promise.all(pages.map((page) => page.evaluate(() => messenger.getToken())));
  await Promise.all(pages.map((page) => page.close()));
  return { requests: await requestCount(baseUrl, endpoint), error: tokens.every(Boolean) ? undefined : "a tab got no token" };
}

/** One startEngagement() that logs in, then 100 more, one after another, while the token is fresh. */
async function startEngagements(context, baseUrl, endpoint) {
  const page = await context.newPage();
  await openReadyPage(page, pageUrl(baseUrl, endpoint));
  const first = await page.evaluate(() => messenger.startEngagement().then((state) => state.status));
  const before = await requestCount(baseUrl, endpoint);
  const statuses = await page.evaluate(async () => {
    const seen = new Set();
    for (let i = 0; i < 100; i++) seen.add((await messenger.startEngagement()).status);
    return [...seen];
  });
  await page.close();
  const error = first !== "authenticated" || statuses.join() !== "authenticated" ? `statuses: ${first}, then ${statuses}` : undefined;
  return { requests: (await requestCount(baseUrl, endpoint)) - before, error };
}
