// Playwright: Debian's Chromium (never a downloaded browser) against tests/server/server.mjs.
import { defineConfig } from "@playwright/test";
import net from "node:net";

/** A port nothing listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// The runner loads this file first and its workers load it again: they inherit the runner's
// environment, so the port is chosen once.
process.env.MESSENGER_E2E_PORT ||= String(await freePort());
const port = process.env.MESSENGER_E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.mjs",
  outputDir: "target/playwright/results",
  workers: 2,
  retries: 0,
  reporter: "list",
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    headless: true,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `node tests/server/server.mjs --port ${port}`,
    url: `${baseURL}/test/stats`,
    reuseExistingServer: false,
    timeout: 15_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
