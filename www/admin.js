// The messaging emulator's admin page: signing keys (a new secret shown once, with a copy
// button), the email identities setting, the contact-centre key, and "check a token". Every
// change goes through the admin routes with the admin token (see admin-token.js).
import { adminFetch, withAdminToken } from "/admin-token.js";

const $ = (id) => document.getElementById(id);
const say = (id, text) => ($(id).textContent = text);

// ---- Signing keys ----

async function loadKeys() {
  const keys = await adminFetch("/admin/keys");
  say("keys-count", `${keys.length} of 10`);
  $("keys").replaceChildren(
    ...keys.map((key) => {
      const row = document.createElement("tr");
      row.dataset.kid = key.kid;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary small";
      remove.textContent = "Delete";
      remove.setAttribute("aria-label", `Delete key ${key.name}`);
      remove.addEventListener("click", () => deleteKey(key));
      row.append(cell(key.name), cell(key.kid, "code"), cell(`${key.secretPrefix}…`, "code"), cell(remove));
      return row;
    }),
  );
}

function cell(content, wrap) {
  const td = document.createElement("td");
  if (typeof content === "string" && wrap) {
    const inner = document.createElement(wrap);
    inner.textContent = content;
    td.append(inner);
  } else {
    td.append(content);
  }
  return td;
}

$("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("keys-message", "");
  try {
    const key = await adminFetch("/admin/keys", { method: "POST", json: { name: $("key-name").value } });
    $("key-name").value = "";
    say("new-key-kid", key.kid);
    say("new-key-secret", key.secret);
    $("new-key").hidden = false;
  } catch (error) {
    say("keys-message", error.message === "key_limit" ? "There are 10 keys already: delete one first (key_limit)." : `Not created: ${error.message}`);
  }
  await loadKeys().catch(() => {});
});

$("copy-secret").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("new-key-secret").textContent);
    say("keys-message", "Secret copied.");
  } catch {
    say("keys-message", "Copying was refused: select the secret and copy it by hand.");
  }
});

// The secret leaves the page for good: only its first 6 characters are ever shown again.
$("hide-secret").addEventListener("click", () => {
  $("new-key").hidden = true;
  say("new-key-secret", "");
  say("new-key-kid", "");
});

async function deleteKey(key) {
  say("keys-message", "");
  try {
    await adminFetch(`/admin/keys/${encodeURIComponent(key.kid)}`, { method: "DELETE" });
    say("keys-message", `Deleted ${key.name}: tokens signed with it are now unknown_kid.`);
  } catch (error) {
    say("keys-message", `Not deleted: ${error.message}`);
  }
  await loadKeys().catch(() => {});
}

// ---- Settings ----

async function loadSettings() {
  const settings = await adminFetch("/admin/settings");
  for (const radio of document.querySelectorAll('input[name="emailIdentities"]')) {
    radio.checked = radio.value === settings.emailIdentities;
  }
  $("cc-pem").value = settings.contactCenterKey ?? "";
}

$("settings-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const chosen = document.querySelector('input[name="emailIdentities"]:checked');
  if (!chosen) return;
  try {
    await adminFetch("/admin/settings", { method: "PUT", json: { emailIdentities: chosen.value } });
    say("settings-message", `Saved: ${chosen.value}.`);
  } catch (error) {
    say("settings-message", `Not saved: ${error.message}`);
  }
});

$("cc-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await adminFetch("/admin/contact-center-key", { method: "PUT", text: $("cc-pem").value });
    say("cc-message", "Saved.");
  } catch (error) {
    say("cc-message", `Not saved: ${error.message}`);
  }
});

// ---- Check a token ----

$("check-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const verdict = $("check-verdict");
  try {
    const answer = await adminFetch("/admin/check-token", {
      method: "POST",
      json: { jwt: $("check-jwt").value.trim(), profile: $("check-profile").value },
    });
    verdict.className = answer.valid ? "verdict-valid" : "verdict-invalid";
    verdict.textContent = answer.valid ? "valid" : `refused: ${answer.reason}`;
    const details = { ...answer };
    delete details.valid;
    $("check-result").textContent = JSON.stringify(details, null, 2);
    $("check-result").hidden = Object.keys(details).length === 0;
  } catch (error) {
    verdict.className = "verdict-invalid";
    verdict.textContent = error.message;
    $("check-result").hidden = true;
  }
});

withAdminToken(() => {
  loadKeys().catch((error) => say("keys-message", error.message));
  loadSettings().catch((error) => say("settings-message", error.message));
});
