// Imports the SDK's ES module entry as a bundled app would, and hands what it got to the test.
import messenger, * as named from "/messenger/messenger.mjs";

window.moduleProbe = {
  messenger,
  named,
  // Taken at import time, before the wasm can have loaded.
  stateAtImport: messenger.getAuthState(),
};
