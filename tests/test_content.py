"""The content library: every file validates, references resolve, and every format is
well-formed for the agenda (kinds, minutes, dilemma steps, board prompts)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from server.content import content_text, get_format, library
from server.content.loader import CONTENT_DIR, ContentError, load_library
from server.content.schemas import ADVANCE, BOARD_ITEM_KINDS, PHASE_KINDS
from server.core.errors import DomainError

ISSUE_FORMATS = {
    "peer_sparring",
    "dialogue_upward",
    "dialogue_downward",
    "iglo",
    "know_yourself",
    "lead_the_culture",
    "quick_check",
    "network_trios",  # leader networks (issue 12)
}


def test_every_format_and_bank_loads():
    lib = library()
    files = {p.stem for p in (CONTENT_DIR / "formats").glob("*.toml")}
    assert set(lib.formats) == files == ISSUE_FORMATS | {"free"}
    assert set(lib.banks) == {p.stem for p in (CONTENT_DIR / "banks").glob("*.toml")}
    for bank in lib.banks.values():
        assert bank.items and bank.model in lib.models


def test_get_format_knows_the_library_and_refuses_other_keys():
    assert get_format("iglo").key == "iglo"
    with pytest.raises(DomainError) as err:
        get_format("no_such_format")
    assert err.value.code == "unknown_format"
    assert err.value.params == {"format_key": "no_such_format"}


@pytest.mark.parametrize("key", sorted(ISSUE_FORMATS | {"free"}))
def test_every_phase_is_well_formed_for_the_agenda(key):
    fmt = get_format(key)
    items = library().items
    assert len({phase.key for phase in fmt.phases}) == len(fmt.phases)
    for phase in fmt.phases:
        assert phase.kind in PHASE_KINDS and phase.advance in ADVANCE
        assert isinstance(phase.minutes, int) and phase.minutes > 0
        assert all(prompt in items for prompt in phase.prompt_keys)
        if phase.kind == "dilemma_round":
            assert phase.presenters and phase.presenters > 0 and phase.steps
            assert all(step.minutes > 0 for step in phase.steps)
            per_presenter = sum(step.minutes for step in phase.steps)
            assert phase.minutes == phase.presenters * per_presenter
        elif phase.kind == "breakout":  # each trio member through the steps, in the minutes
            assert phase.presenters is None and phase.steps
            assert 3 * sum(step.minutes for step in phase.steps) <= phase.minutes
        else:
            assert phase.presenters is None and phase.steps == []
        if phase.kind == "board":
            assert phase.board_prompt_keys
            assert all(items[k].kind in BOARD_ITEM_KINDS for k in phase.board_prompt_keys)
        else:
            assert phase.board_prompt_keys == []
    assert fmt.total_minutes == sum(phase.minutes for phase in fmt.phases)


def test_formats_follow_the_issue():
    lib = library()
    assert get_format("quick_check").total_minutes <= 30  # for groups with little time
    iglo = get_format("iglo")
    assert iglo.phases[-2].kind == "board"  # it ends in actions tagged by level
    levels = [lib.items[k].group for k in iglo.phases[-2].board_prompt_keys]
    assert levels == ["individual", "group", "leader", "organisation"]
    know_yourself = [p.kind for p in get_format("know_yourself").phases]
    assert "dilemma_round" in know_yourself  # structured feedback, one leader at a time
    assert {f.model for f in lib.formats.values()} >= {
        "three_directions",
        "iglo",
        "skills_hierarchy",
        "culture_embedding",
    }


def test_every_text_has_a_stable_key_and_both_languages():
    lib = library()
    assert content_text("bank.dialogue_upward.focus_areas", "en").startswith("Looking at")
    assert content_text("format.peer_sparring.title", "da") == "Kollegial sparring i ledergruppen"
    same_in_danish = {"format.quick_check.phase.check_in.title"}  # "Check-in"
    for key, english in lib.english.items():
        assert content_text(key, "en") == english
        assert content_text(key, "da") != english or key in same_in_danish


# --- broken files are rejected, with the file and field named -------------------------


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def rejected(root: Path) -> str:
    with pytest.raises(ContentError) as err:
        load_library(root)
    return "\n".join(err.value.problems)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_copy_itself_loads(content):
    assert load_library(content).formats.keys() == library().formats.keys()


def test_an_unknown_field_is_rejected(content):
    path = content / "formats" / "iglo.toml"
    replace(path, 'advance = "manual"', 'advance = "manual"\ncolour = 1')
    assert "formats/iglo.toml: phases.0.colour: Unknown field." in rejected(content)


def test_a_wrong_kind_and_missing_minutes_are_named(content):
    path = content / "formats" / "quick_check.toml"
    replace(path, 'kind = "round"', 'kind = "lecture"')
    replace(path, "minutes = 5\n", "")
    problems = rejected(content)
    assert "formats/quick_check.toml: phases.0.kind: Must be one of: round" in problems


def test_minutes_must_be_positive_whole_numbers(content):
    replace(content / "formats" / "quick_check.toml", "minutes = 5", "minutes = 0")
    assert "phases.0.minutes: Must be greater than or equal to 1" in rejected(content)
    replace(content / "formats" / "quick_check.toml", "minutes = 0", "minutes = 2.5")
    assert "phases.0.minutes: Not a valid integer." in rejected(content)


def test_a_dilemma_round_needs_presenters_and_steps(content):
    replace(content / "formats" / "peer_sparring.toml", "presenters = 2\n", "")
    assert "peer_sparring.toml: phases.1.presenters: A dilemma round needs presenters." in (
        rejected(content)
    )


def test_a_board_phase_needs_columns_and_only_it_has_them(content):
    path = content / "formats" / "quick_check.toml"
    replace(path, 'board_prompts = ["board.one_need_today", "board.uncertainty_i_carry"]\n', "")
    assert "phases.1.board_prompts: A board phase needs board prompts." in rejected(content)


def test_references_must_resolve_to_bank_items_of_the_right_kind(content):
    path = content / "formats" / "quick_check.toml"
    replace(path, '"dialogue_sideways.on_your_plate"', '"dialogue_sideways.nothing_here"')
    replace(path, '"board.one_need_today"', '"iglo.closing_commitment"')
    problems = rejected(content)
    assert "phases.0.prompts: no bank item 'dialogue_sideways.nothing_here'" in problems
    assert "'iglo.closing_commitment' is not a column or action" in problems


def test_keys_must_be_unique_and_match_the_file_name(content):
    replace(content / "banks" / "board.toml", 'key = "mistake_learned"', 'key = "hard_to_say"')
    replace(content / "formats" / "iglo.toml", 'key = "iglo"', 'key = "iglo_two"')
    problems = rejected(content)
    assert "banks/board.toml: items: Keys used twice: hard_to_say." in problems
    assert "formats/iglo.toml: key: must be 'iglo', the name" in problems


def test_an_item_cannot_take_a_reserved_key_or_an_unknown_group(content):
    replace(content / "banks" / "board.toml", 'key = "mistake_learned"', 'key = "title"')
    replace(content / "banks" / "iglo.toml", 'group = "individual"', 'group = "family"')
    problems = rejected(content)
    assert "banks/board.toml: items.1.key: Reserved for the bank's own texts." in problems
    assert "banks/iglo.toml: items: Unknown groups: family." in problems


def test_every_file_must_be_listed_in_the_library_and_exist(content):
    (content / "formats" / "extra.toml").write_text(
        (content / "formats" / "free.toml").read_text().replace('"free"', '"extra"', 1)
    )
    (content / "banks" / "culture.toml").unlink()
    problems = rejected(content)
    assert "library.toml: formats: 'extra' is not listed" in problems
    assert "library.toml: banks: no banks/culture.toml" in problems


def test_unknown_models_and_bad_toml_are_named(content):
    replace(content / "formats" / "iglo.toml", 'model = "iglo"', 'model = "astrology"')
    (content / "banks" / "pitfalls.toml").write_text('key = "pitfalls"\ntitle = "unterminated\n')
    problems = rejected(content)
    assert "formats/iglo.toml: model: unknown 'astrology'" in problems
    assert "banks/pitfalls.toml: not valid TOML" in problems


# A stated length ("two minutes each", "ti minutter hver") that the agenda may not keep:
# a round's share depends on who is there, and the facilitator may change the minutes.
DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|ten|thirty|et|én|to|tre|fire|fem|ti|tredive)\s+"
    r"(minut|minute|minutes|minutter|second|seconds|sekunder)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("key", sorted(ISSUE_FORMATS | {"free"}))
def test_no_phase_text_states_a_length_the_agenda_may_not_keep(key):
    for phase in get_format(key).phases:
        for text_key in filter(None, (phase.title_key, phase.intro_key)):
            for language in ("en", "da"):
                assert not DURATION.search(content_text(text_key, language)), text_key


@pytest.mark.parametrize("key", sorted(ISSUE_FORMATS))
def test_a_board_phase_title_leaves_named_or_anonymous_to_the_session(key):
    for phase in get_format(key).phases:
        for language in ("en", "da"):
            assert "anonym" not in content_text(phase.title_key, language).lower()
