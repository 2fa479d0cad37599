"""A board as a plain-text file: what everyone could see, in the shown order, no times.

Plain text on purpose: a post with HTML or a script in it stays text in any program
that opens the file (an HTML or CSV export could run or evaluate it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.board.groups import require_board_of
from server.board.models import Cluster, Post
from server.board.state import authors_of
from server.content import content_text
from server.core.domain import Actor
from server.core.i18n import N_, translate
from server.sessions.models import Participant, PeerSession

ANONYMOUS = N_("Anonymous board")
NAMED = N_("Named board")
COUNTS = N_("Me too: %(me_too)s · Thank you: %(thanks)s · Votes: %(votes)s")
CLUSTERS = N_("Clusters")
VOTES = N_("Votes: %(votes)s")


def export_board(db: Session, actor: Actor) -> dict[str, Any]:
    """The reader's board's shown posts as text (their group's in a breakout), in their language."""
    board = require_board_of(db, actor)
    session = db.get_one(PeerSession, actor.session_id)
    language = actor.language
    posts = db.scalars(
        select(Post)
        .where(Post.board_id == board.id, Post.position.is_not(None), Post.hidden.is_(False))
        .order_by(Post.position)
    ).all()
    clusters = db.scalars(
        select(Cluster).where(Cluster.board_id == board.id).order_by(Cluster.position)
    ).all()
    names = author_names(db, authors_of(db, board, [p.id for p in posts]))
    cluster_names = {c.id: c.name for c in clusters}
    lines = [session.title, translate(NAMED if board.named else ANONYMOUS, language), ""]
    for index, prompt in enumerate(board.prompts):
        lines.append(prompt.get("text") or content_text(prompt["key"], language))
        for post in (p for p in posts if p.prompt == index and p.shown_text is not None):
            first, *rest = (post.shown_text or "").split("\n")
            extra = [names.get(post.id), cluster_names.get(post.cluster_id or "")]
            suffix = "".join(f" [{item}]" for item in extra if item)
            lines.append(f"  • {first}{suffix}")
            lines.extend(f"    {line}" for line in rest)
            counts = {"me_too": post.me_too, "thanks": post.thanks, "votes": post.votes}
            lines.append("    " + translate(COUNTS, language) % counts)
        lines.append("")
    if clusters:
        lines.append(translate(CLUSTERS, language))
        for cluster in clusters:
            votes = translate(VOTES, language) % {"votes": cluster.votes}
            lines.append(f"  • {cluster.name} ({votes})")
    filename = f"holdsport-{session.join_code}-board-{board.id}.txt"
    return {"filename": filename, "media_type": "text/plain", "content": "\n".join(lines) + "\n"}


def author_names(db: Session, authors: dict[str, int]) -> dict[str, str]:
    """Post id -> its author's name, for posts of a named board (authors_of)."""
    if not authors:
        return {}
    people = db.scalars(select(Participant).where(Participant.id.in_(set(authors.values()))))
    by_id = {p.id: p.display_name for p in people}
    return {post_id: by_id[pid] for post_id, pid in authors.items() if pid in by_id}
