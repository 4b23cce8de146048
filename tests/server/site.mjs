// The demo site's backend: a login that sets a session cookie, and the authentication endpoints
// of SPEC.md that sign a JWT for the logged-in user. Tokens are never logged.
import { randomBytes } from "node:crypto";
import { sendJson, readFields, parseCookies, queryNumber } from "./http.mjs";
import { siteJwt, messagingJwt } from "./tokens.mjs";

const COOKIE = "sid";

/** Routes of the site; `ttl` is the default token lifetime in seconds. */
export function createSite({ ttl: defaultTtl = 600 } = {}) {
  const sessions = new Map(); // session id -> { username, email?, name? }

  const userOf = (req) => sessions.get(parseCookies(req)[COOKIE]);

  async function login(req, res) {
    const fields = await readFields(req);
    const username = typeof fields.username === "string" ? fields.username.trim() : "";
    if (!username || username.length > 1000) return sendJson(res, 400, { error: "username is required" });
    const user = { username };
    for (const key of ["email", "name"]) {
      if (typeof fields[key] === "string" && fields[key].trim()) user[key] = fields[key].trim();
    }
    const id = randomBytes(18).toString("base64url");
    sessions.set(id, user);
    const cookie = `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
    const wantsPage = !String(req.headers["content-type"]).startsWith("application/json") && String(req.headers.accept).includes("text/html");
    if (wantsPage) return sendJson(res, 303, { ok: true }, { "Set-Cookie": cookie, Location: "/" }); // a plain form post
    sendJson(res, 200, { ok: true, user }, { "Set-Cookie": cookie });
  }

  function logout(req, res) {
    sessions.delete(parseCookies(req)[COOKIE]);
    sendJson(res, 200, { ok: true }, { "Set-Cookie": `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
  }

  /** GET /auth/jwt and /auth/messaging-jwt: a token for the session's user, 401 without one. */
  function token(sign) {
    return (req, res, query) => {
      const user = userOf(req);
      if (!user) return sendJson(res, 401, { error: "not logged in" });
      const ttl = queryNumber(query, "ttl", defaultTtl);
      sendJson(res, 200, { loginUserIdJwt: sign(user, { ttl }) });
    };
  }

  return {
    "POST /login": login,
    "POST /logout": logout,
    "GET /auth/jwt": token(siteJwt),
    "GET /auth/messaging-jwt": token(messagingJwt),
  };
}
