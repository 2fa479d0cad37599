"""The board's part of an ended session's summary (core.summary): every board of the
session, as everyone last saw it once revealed.

Only shown posts appear: never one nobody saw (unrevealed, or deleted unseen). Hidden
posts are left out and counted. Authors are named only on a named board; an anonymous
board has no author rows to name (docs/anonymity.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.board.export import ANONYMOUS, CLUSTERS, COUNTS, NAMED, VOTES, author_names
from server.board.models import Board, Cluster, Post
from server.board.state import authors_of
from server.content import content_text
from server.core.i18n import N_, translate
from server.core.i18n import translate_plural as tn  # the extractor's plural keyword
from server.core.summary import Reader, Section, escape_markdown, escape_markdown_lines

BOARD = N_("The board")
NOTHING_SHOWN = N_("Nothing was shown on this board.")


def board_part(db: Session, reader: Reader) -> Section | None:
    # A breakout group's board stays in the group: the plenary's summary shows none.
    query = select(Board).where(Board.session_id == reader.session_id, Board.group_number.is_(None))
    boards = db.scalars(query.order_by(Board.opened_at, Board.id)).all()
    if not boards:
        return None
    shown = [_board(db, board, reader.language) for board in boards]
    markdown: list[str] = []
    rows: list[list[str]] = []
    for board in shown:
        _write(board, reader.language, markdown, rows)
    return Section("board", translate(BOARD, reader.language), {"boards": shown}, markdown, rows)


def _board(db: Session, board: Board, language: str) -> dict[str, Any]:
    """One board: its columns with their shown posts in the shown order, its clusters."""
    seen = db.scalars(
        select(Post)
        .where(Post.board_id == board.id, Post.position.is_not(None))
        .order_by(Post.position)
    ).all()
    posts = [p for p in seen if not p.hidden and p.shown_text is not None]
    hidden = sum(1 for p in seen if p.hidden)
    names = author_names(db, authors_of(db, board, [p.id for p in posts])) if board.named else {}
    clusters = db.scalars(
        select(Cluster).where(Cluster.board_id == board.id).order_by(Cluster.position)
    ).all()
    cluster_names = {c.id: c.name for c in clusters}
    columns = []
    for index, prompt in enumerate(board.prompts):
        column = [
            {
                "text": post.shown_text,
                "me_too": post.me_too,
                "thanks": post.thanks,
                "votes": post.votes,
                "cluster": cluster_names.get(post.cluster_id or ""),
                **({"author": names.get(post.id)} if board.named else {}),
            }
            for post in posts
            if post.prompt == index
        ]
        text = prompt.get("text") or content_text(prompt["key"], language)
        columns.append({"prompt": text, "posts": column})
    return {
        "named": board.named,
        "kind_name": translate(NAMED if board.named else ANONYMOUS, language),
        "columns": columns,
        "clusters": [{"name": c.name, "votes": c.votes} for c in clusters],
        "hidden": hidden,
        "hidden_text": _hidden_text(hidden, language),
    }


def _hidden_text(hidden: int, language: str) -> str | None:
    if not hidden:
        return None
    text = tn(
        "%(num)s post was hidden by the facilitator.",
        "%(num)s posts were hidden by the facilitator.",
        hidden,
        language,
    )
    return text % {"num": hidden}


def _write(
    board: dict[str, Any], language: str, markdown: list[str], rows: list[list[str]]
) -> None:
    """The board in Markdown lines and CSV rows."""
    markdown += [f"### {board['kind_name']}", ""]
    if not any(column["posts"] for column in board["columns"]):
        markdown += [translate(NOTHING_SHOWN, language), ""]
    for column in board["columns"]:
        markdown += [f"**{escape_markdown(column['prompt'])}**", ""]
        for post in column["posts"]:
            counts = translate(COUNTS, language) % post
            extra = [post.get("author"), post["cluster"]]
            suffix = "".join(f" \\[{escape_markdown(item)}\\]" for item in extra if item)
            markdown.append(f"- {escape_markdown_lines(post['text'])}{suffix} ({counts})")
            rows.append(
                [board["kind_name"], column["prompt"], post["text"], counts]
                + [item or "" for item in extra]
            )
        markdown.append("")
    if board["clusters"]:
        markdown += [f"**{translate(CLUSTERS, language)}**", ""]
        for cluster in board["clusters"]:
            votes = translate(VOTES, language) % {"votes": cluster["votes"]}
            markdown.append(f"- {escape_markdown(cluster['name'])} ({votes})")
            rows.append([board["kind_name"], translate(CLUSTERS, language), cluster["name"], votes])
        markdown.append("")
    if board["hidden_text"]:
        markdown += [board["hidden_text"], ""]
        rows.append([board["kind_name"], board["hidden_text"]])
