"""Reading content/ into a Library: every file validated, every reference resolved.

Any problem stops the load with a ContentError that lists each one as
"<file>: <field path>: <what is wrong>", so a broken file is found at start-up
(and in the tests), never halfway through someone's session.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from marshmallow import Schema, ValidationError

from server.content import keys
from server.content.library import Bank, Format, Group, Item, Library, Model, Phase, Step
from server.content.schemas import BOARD_ITEM_KINDS, BankFile, FormatFile, LibraryFile

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
SCHEMAS: dict[str, Schema] = {
    "library": LibraryFile(),
    "formats": FormatFile(),
    "banks": BankFile(),
}


class ContentError(Exception):
    """content/ does not hold a valid library; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid content:\n  " + "\n  ".join(problems))
        self.problems = problems


def file_kind(path: Path) -> str:
    """Which schema a content file follows: library, formats or banks."""
    if path.name == "library.toml":
        return "library"
    if path.parent.name in ("formats", "banks"):
        return path.parent.name
    raise ContentError([f"{path}: not a content file (library.toml, formats/, banks/)"])


def read_file(path: Path, fileobj: IO[bytes] | None = None) -> dict[str, Any]:
    """One content file, parsed and validated against its schema."""
    try:
        if fileobj is None:
            with path.open("rb") as opened:
                raw = tomllib.load(opened)
        else:
            raw = tomllib.load(fileobj)
        return SCHEMAS[file_kind(path)].load(raw)  # type: ignore[no-any-return]
    except tomllib.TOMLDecodeError as err:
        raise ContentError([f"{path}: not valid TOML: {err}"]) from err
    except ValidationError as err:
        problems = [f"{path}: {where}: {what}" for where, what in _flat(err.messages)]
        raise ContentError(problems) from err


def file_texts(path: Path, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(content key, English text) of one validated file; what the extractor extracts."""
    texts = {"library": keys.library_texts, "formats": keys.format_texts, "banks": keys.bank_texts}
    return texts[file_kind(path)](data)


def _flat(messages: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for name, inner in messages.items():
            yield from _flat(inner, f"{where}.{name}" if where else str(name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        yield where or "_schema", " ".join(messages)
    else:
        yield where or "_schema", str(messages)


def load_library(root: Path = CONTENT_DIR) -> Library:
    """Read and check every file under root; raise ContentError listing all problems."""
    problems: list[str] = []

    def read(path: Path) -> dict[str, Any] | None:
        try:
            return read_file(path)
        except ContentError as err:
            problems.extend(err.problems)
            return None

    index = read(root / "library.toml")
    formats = {p.stem: read(p) for p in sorted((root / "formats").glob("*.toml"))}
    banks = {p.stem: read(p) for p in sorted((root / "banks").glob("*.toml"))}
    if index is None:
        raise ContentError(problems)
    problems += _check_files(root, index, formats, banks)
    checked_formats = {key: data for key, data in formats.items() if data}
    checked_banks = {key: data for key, data in banks.items() if data}
    # References into a bank that failed would only add noise to its real problem.
    if len(checked_banks) == len(banks):
        problems += _check_references(root, index, checked_formats, checked_banks)
    if problems:
        raise ContentError(problems)
    return _build(root, index, checked_formats, checked_banks)


def _check_files(
    root: Path, index: dict[str, Any], formats: dict[str, Any], banks: dict[str, Any]
) -> list[str]:
    problems = []
    models = {model["key"] for model in index["models"]}
    for folder, found in (("formats", formats), ("banks", banks)):
        for stem, data in found.items():
            where = f"{root / folder / stem}.toml"
            if data and data["key"] != stem:
                problems.append(f"{where}: key: must be {stem!r}, the name")
            if data and data["model"] is not None and data["model"] not in models:
                problems.append(f"{where}: model: unknown {data['model']!r}")
        listed = index[folder]
        for missing in sorted(set(listed) - set(found)):
            problems.append(f"{root / 'library.toml'}: {folder}: no {folder}/{missing}.toml")
        for unlisted in sorted(set(found) - set(listed)):
            problems.append(f"{root / 'library.toml'}: {folder}: {unlisted!r} is not listed")
    if "free" not in formats:
        problems.append(f"{root / 'formats'}: the default format 'free' is missing")
    return problems


def _check_references(
    root: Path, index: dict[str, Any], formats: dict[str, Any], banks: dict[str, Any]
) -> list[str]:
    problems = []
    kinds = {f"{b}.{i['key']}": i["kind"] for b, data in banks.items() for i in data["items"]}
    for stem, data in formats.items():
        for n, phase in enumerate(data["phases"]):
            where = f"{root / 'formats' / stem}.toml: phases.{n}"
            for ref in phase["prompts"]:
                if ref not in kinds:
                    problems.append(f"{where}.prompts: no bank item {ref!r}")
            for ref in phase["board_prompts"]:
                if ref not in kinds:
                    problems.append(f"{where}.board_prompts: no bank item {ref!r}")
                elif kinds[ref] not in BOARD_ITEM_KINDS:
                    problems.append(f"{where}.board_prompts: {ref!r} is not a column or action")
    return problems


def _build(
    root: Path, index: dict[str, Any], formats: dict[str, Any], banks: dict[str, Any]
) -> Library:
    english: dict[str, str] = dict(keys.library_texts(index))
    for folder, found in (("formats", formats), ("banks", banks)):
        for stem, data in found.items():
            english.update(file_texts(root / folder / f"{stem}.toml", data))
    return Library(
        formats={key: _format(formats[key]) for key in index["formats"]},
        banks={key: _bank(banks[key]) for key in index["banks"]},
        models={
            m["key"]: Model(
                m["key"], keys.model_key(m["key"], "title"), keys.model_key(m["key"], "credit")
            )
            for m in index["models"]
        },
        english=english,
    )


def _format(data: dict[str, Any]) -> Format:
    fmt = data["key"]
    return Format(
        key=fmt,
        model=data["model"],
        title_key=keys.format_key(fmt, "title"),
        summary_key=keys.format_key(fmt, "summary"),
        audience_key=keys.format_key(fmt, "audience"),
        phases=[_phase(fmt, phase) for phase in data["phases"]],
    )


def _phase(fmt: str, data: dict[str, Any]) -> Phase:
    phase = data["key"]
    steps = [
        Step(step["key"], keys.step_key(fmt, phase, step["key"]), step["minutes"])
        for step in data["steps"]
    ]
    minutes = data["minutes"]
    if data["kind"] == "dilemma_round":
        minutes = data["presenters"] * sum(step.minutes for step in steps)
    return Phase(
        key=phase,
        kind=data["kind"],
        minutes=minutes,
        advance=data["advance"],
        title_key=keys.phase_key(fmt, phase, "title"),
        intro_key=keys.phase_key(fmt, phase, "intro") if data["intro"] else None,
        prompt_keys=[keys.item_key(ref) for ref in data["prompts"]],
        board_prompt_keys=[keys.item_key(ref) for ref in data["board_prompts"]],
        presenters=data["presenters"],
        steps=steps,
        words=_words(fmt, phase, data),
    )


def _words(fmt: str, phase: str, data: dict[str, Any]) -> dict[str, str] | None:
    if not data["kind_name"]:
        return None
    return {
        "kind_name_key": keys.phase_key(fmt, phase, "kind_name"),
        "listening_key": keys.phase_key(fmt, phase, "listening"),
    }


def _bank(data: dict[str, Any]) -> Bank:
    bank = data["key"]
    return Bank(
        key=bank,
        model=data["model"],
        title_key=keys.bank_key(bank, "title"),
        intro_key=keys.bank_key(bank, "intro"),
        direction=data["direction"],
        groups=[Group(g["key"], keys.group_key(bank, g["key"])) for g in data["groups"]],
        items=[
            Item(i["key"], keys.item_key(f"{bank}.{i['key']}"), i["kind"], i["group"], i["reverse"])
            for i in data["items"]
        ],
    )
