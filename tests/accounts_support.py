"""A signed-in facilitator for Flask test clients."""

from __future__ import annotations

import itertools

_emails = itertools.count(1)


def signed_in_client(app, name: str = "Anne", language: str = "da"):  # type: ignore[no-untyped-def]
    """A test client whose cookie is a new facilitator's login, sending its CSRF token."""
    http = app.test_client()
    body = {
        "email": f"host{next(_emails)}@example.org",
        "display_name": name,
        "password": "a long enough password",
        "language": language,
    }
    reply = http.post("/api/account/sign-up", json=body)
    assert reply.status_code == 201, reply.get_json()
    http.environ_base["HTTP_X_CSRF_TOKEN"] = reply.get_json()["csrf_token"]
    return http
