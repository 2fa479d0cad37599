// An invitation to co-facilitate a group (`/invite#<token>`): a signed-in facilitator
// accepts it and lands on the group's page; anyone else signs in first.
import { afterSignIn } from "./account.js";
import { account, postJSON } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { errorBox, showError } from "./forms.js";

const KEY = "holdsport:invitation";

export function inviteView(navigate) {
  // The token arrives in the fragment (never sent to the server in a URL); keep it for
  // the way through signing in, then take it out of the address.
  const fresh = new URLSearchParams(location.hash.slice(1)).keys().next().value;
  if (fresh) sessionStorage.setItem(KEY, fresh);
  if (location.hash) history.replaceState(null, "", location.pathname);
  const token = sessionStorage.getItem(KEY);
  const error = errorBox("invite-error");

  async function accept() {
    const reply = await postJSON("/api/invitations/accept", { token });
    if (!reply.ok) return showError(error, reply.error);
    sessionStorage.removeItem(KEY);
    navigate(`/g/${reply.group.id}`);
  }

  if (!account()) {
    return h("section", { class: "card narrow" },
      h("h1", {}, t("You are invited to co-facilitate a peer group")),
      h("p", {}, t("Sign in or create a facilitator account first; the invitation waits for you.")),
      h("button", { id: "sign-in-to-accept", onclick: () => { afterSignIn("/invite"); navigate("/account"); } },
        t("Sign in")),
    );
  }
  return h("section", { class: "card narrow" },
    h("h1", {}, t("You are invited to co-facilitate a peer group")),
    h("p", {}, t("As a facilitator of the group you can plan, run and delete its sessions.")),
    error,
    h("button", { id: "accept-invitation", onclick: accept, disabled: !token }, t("Accept the invitation")),
  );
}
