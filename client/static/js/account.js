// A facilitator's account: sign in or sign up; once in, change the password, sign out
// (here, or on every device) or delete the account. Participants never need any of this.
import { account, forgetAccount, getJSON, loadAccount, postJSON, rememberAccount, signUpOpen } from "./api.js";
import { forgetHostPasses } from "./credentials.js";
import { h } from "./dom.js";
import { currentLanguage, t } from "./i18n.js";
import { errorBox, field, showError } from "./forms.js";

const AFTER = "holdsport:after-sign-in";

// Where to go once signed in (an invitation waiting, say); the front page otherwise.
export function afterSignIn(path) {
  sessionStorage.setItem(AFTER, path);
}

function signedInGo(navigate) {
  const then = sessionStorage.getItem(AFTER) || "/";
  sessionStorage.removeItem(AFTER);
  navigate(then);
}

export function accountView(navigate) {
  return account() ? settingsView(navigate) : signInView(navigate);
}

function signInView(navigate) {
  const signInError = errorBox("sign-in-error");
  const signUpError = errorBox("sign-up-error");

  async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const reply = await postJSON("/api/account/sign-in", {
      email: form.get("email"), password: form.get("password"),
    });
    if (!reply.ok) return showError(signInError, reply.error);
    rememberAccount(reply);
    signedInGo(navigate);
  }

  async function signUp(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const reply = await postJSON("/api/account/sign-up", {
      display_name: form.get("display_name"),
      email: form.get("email"),
      password: form.get("password"),
      language: currentLanguage(),
    });
    if (!reply.ok) return showError(signUpError, reply.error);
    rememberAccount(reply);
    signedInGo(navigate);
  }

  return h("div", { class: "account" },
    h("section", { class: "card narrow" },
      h("h1", {}, t("Sign in as a facilitator")),
      h("p", { class: "muted" }, t("Participants need no account: a join code and a name are enough.")),
      h("form", { id: "sign-in-form", onsubmit: signIn },
        field(t("E-mail"), h("input", { name: "email", type: "email", required: true, autocomplete: "username" })),
        field(t("Password"), h("input", { name: "password", type: "password", required: true, autocomplete: "current-password" })),
        signInError,
        h("button", { type: "submit" }, t("Sign in")),
      ),
    ),
    signUpOpen() ? h("section", { class: "card narrow" },
      h("h2", {}, t("New here? Create a facilitator account")),
      h("form", { id: "sign-up-form", onsubmit: signUp },
        field(t("Your name, as your groups see it"), h("input", { name: "display_name", required: true, maxlength: 60, autocomplete: "name" })),
        field(t("E-mail"), h("input", { name: "email", type: "email", required: true, maxlength: 254, autocomplete: "username" })),
        field(t("Password (at least 10 characters)"), h("input", { name: "password", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
        signUpError,
        h("button", { type: "submit" }, t("Create account")),
      ),
    ) : null,
  );
}

function settingsView(navigate) {
  const passwordError = errorBox("password-error");
  const passwordDone = h("p", { role: "status", id: "password-done" });

  async function changePassword(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const reply = await postJSON("/api/account/password", {
      current: form.get("current"), new: form.get("new"),
    });
    showError(passwordError, reply.ok ? null : reply.error);
    passwordDone.textContent = reply.ok ? t("Your password is changed. Every other device is signed out.") : "";
    if (reply.ok) event.target.reset();
  }

  async function signOut(everywhere) {
    await postJSON("/api/account/sign-out", { everywhere });
    await signedOut();
  }

  async function signedOut() {
    forgetAccount();
    forgetHostPasses();
    await loadAccount();
    navigate("/");
  }

  const me = account();
  return h("div", { class: "account" },
    h("section", { class: "card narrow" },
      h("h1", {}, t("Your account")),
      h("p", {}, t("Signed in as %(name)s (%(email)s).", { name: me.display_name, email: me.email })),
      h("div", { class: "actions" },
        h("button", { id: "sign-out", onclick: () => signOut(false) }, t("Sign out")),
        h("button", { id: "sign-out-everywhere", class: "quiet", onclick: () => signOut(true) },
          t("Sign out on every device")),
      ),
    ),
    h("section", { class: "card narrow" },
      h("h2", {}, t("Change password")),
      h("form", { id: "password-form", onsubmit: changePassword },
        field(t("Current password"), h("input", { name: "current", type: "password", required: true, autocomplete: "current-password" })),
        field(t("New password (at least 10 characters)"), h("input", { name: "new", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
        passwordError,
        passwordDone,
        h("button", { type: "submit" }, t("Change password")),
      ),
    ),
    deleteCard(signedOut),
  );
}

// Deleting the account says first which groups go with it: those nobody else facilitates.
function deleteCard(signedOut) {
  const deleteError = errorBox("delete-account-error");
  const losing = h("div", { id: "delete-account-groups" });
  getJSON("/api/groups").then((reply) => {
    const alone = reply.ok ? reply.groups.filter((group) => group.only_facilitator) : [];
    losing.replaceChildren(...(alone.length ? [
      h("p", {}, t("Nobody else facilitates these groups, so they are deleted too, with all their sessions:")),
      h("ul", {}, alone.map((group) => h("li", {}, group.name))),
    ] : []));
  });

  async function deleteAccount(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const reply = await postJSON("/api/account/delete", { password: form.get("password") });
    if (!reply.ok) return showError(deleteError, reply.error);
    await signedOut();
  }

  return h("section", { class: "card narrow", id: "delete-account" },
    h("h2", {}, t("Delete account")),
    h("p", { class: "muted" }, t("Your account and its sign-ins go at once. In a group you facilitate with others, the one who has facilitated it longest takes over the sessions you lead.")),
    losing,
    h("form", { id: "delete-account-form", onsubmit: deleteAccount },
      field(t("Your password, to confirm"), h("input", { name: "password", type: "password", required: true, autocomplete: "current-password" })),
      deleteError,
      h("button", { type: "submit", class: "danger" }, t("Delete my account")),
    ),
  );
}
