// Calls to the HTTP API. Errors come back as {ok: false, error: {code, message}}.
// A signed-in facilitator's browser sends its CSRF token with every change it asks for
// (docs/protocol.md §1): `loadAccount` fetches both at start and after signing in or out.
import { currentLanguage } from "./i18n.js";

let signedIn = { account: null, csrf_token: null, sign_up_open: true };
const listeners = [];

export function onAccountChange(listener) {
  listeners.push(listener);
}

function changed(next) {
  signedIn = next;
  for (const listener of listeners) listener();
}

export function account() {
  return signedIn.account;
}

export function signUpOpen() {
  return signedIn.sign_up_open;
}

export async function loadAccount() {
  const reply = await getJSON("/api/account");
  if (reply.ok) changed(reply);
  return signedIn.account;
}

// After sign-in or sign-up: the answer carries the account and its CSRF token.
export function rememberAccount(reply) {
  changed({ ...signedIn, account: reply.account, csrf_token: reply.csrf_token });
}

export function forgetAccount() {
  changed({ ...signedIn, account: null, csrf_token: null });
}

function headers() {
  const sent = { "Content-Type": "application/json", "Accept-Language": currentLanguage() };
  if (signedIn.csrf_token) sent["X-CSRF-Token"] = signedIn.csrf_token;
  return sent;
}

async function send(method, path, body) {
  const response = await fetch(path, {
    method, headers: headers(), body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

export function postJSON(path, body = {}) {
  return send("POST", path, body);
}

export function deleteJSON(path) {
  return send("DELETE", path);
}

export async function getJSON(path) {
  const response = await fetch(path, { headers: { "Accept-Language": currentLanguage() } });
  return response.json();
}
