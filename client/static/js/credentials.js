// Where this browser keeps the secrets that make it the same participant again.
// Participant tokens live in localStorage (they outlast the tab); a room display key
// only in sessionStorage, so it never replaces a person's token. A signed-in
// facilitator's pass is kept nowhere but in memory: it is asked for again on each page
// load, and dies with the sign-out.
import { postJSON } from "./api.js";

const hostPasses = new Map(); // join code -> this login's pass

const tokenKey = (code) => `holdsport:token:${code}`;
const displayKey = (code) => `holdsport:display:${code}`;
const shareKey = (code) => `holdsport:share:${code}`;
const MEMBER_KEY = "holdsport:member";

export function saveToken(code, token) {
  localStorage.setItem(tokenKey(code), token);
}

export function tokenFor(code) {
  return sessionStorage.getItem(displayKey(code)) || hostPasses.get(code)
    || localStorage.getItem(tokenKey(code));
}

// As a facilitator of the session's group: this signed-in browser's pass, if any.
export async function fetchHostPass(code) {
  const reply = await postJSON(`/api/sessions/${encodeURIComponent(code)}/pass`);
  if (reply.ok) hostPasses.set(code, reply.token);
  else hostPasses.delete(code);
  return reply.ok;
}

export function forgetHostPasses() {
  hostPasses.clear();
}

export function saveDisplayKey(code, key) {
  sessionStorage.setItem(displayKey(code), key);
}

// A participant's own token (not a host's pass, not a room display's key): what another
// device of theirs can be given (participant:device_link).
export function hasOwnToken(code) {
  return !sessionStorage.getItem(displayKey(code)) && !hostPasses.has(code)
    && Boolean(localStorage.getItem(tokenKey(code)));
}

// Credentials arrive in the URL fragment (never sent to the server); keep and remove them.
// A move code (`#move=`) is returned: it is traded for the token with moveHere.
export function takeFragmentCredentials(code) {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("host")) saveToken(code, params.get("host"));
  if (params.get("display")) saveDisplayKey(code, params.get("display"));
  if (location.hash) history.replaceState(null, "", location.pathname);
  return params.get("move");
}

// This device becomes the person whose other device showed the move link: the code is
// traded once for their token. Returns the server's error, or null.
export async function moveHere(moveCode) {
  const reply = await postJSON("/api/move", { code: moveCode });
  if (!reply.ok) return reply.error;
  saveToken(reply.join_code, reply.token);
  return null;
}

// The key that makes this browser the same member of a group in its next sessions
// (docs/anonymity.md, "Members"): made here once, never typed by anyone. The server
// stores only a hash salted per group.
export function memberKey() {
  let key = localStorage.getItem(MEMBER_KEY);
  if (!/^[A-Za-z0-9_-]{43}$/.test(key || "")) {  // none yet, or not one we made
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    localStorage.setItem(MEMBER_KEY, key);
  }
  return key;
}
