// Calls to the HTTP API. Errors come back as {ok: false, error: {code, message}}.
import { currentLanguage } from "./i18n.js";

export async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": currentLanguage() },
    body: JSON.stringify(body),
  });
  return response.json();
}

export async function getJSON(path) {
  const response = await fetch(path, { headers: { "Accept-Language": currentLanguage() } });
  return response.json();
}
