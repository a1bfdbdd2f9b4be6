"""Reading what users write (normsim.settings.reading): a TOML file read once, every problem as
one ScenarioError naming the file, the field, the value and what is allowed; shipped files
found by name; what a field accepts, in words."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from normsim.errors import UserError
from normsim.settings.reading import (MAX_SEED, ScenarioError, allowed_in, read_toml,
                                      read_validated, shipped_folder, shipped_or_file,
                                      shown_value)


class Sample(BaseModel):
    """A settings table with a field of every kind a file can hold."""

    model_config = ConfigDict(extra="forbid")
    on: bool = True
    title: str = ""
    groups: list[int] = []
    norms: list[str] = []
    story: Literal["mirror", "contrast"] = "mirror"
    share: float = Field(0.5, ge=0.0, le=1.0)  # "from 0 to 1", not "from 0.0 to 1.0"
    steps: int = Field(10, ge=1, le=520)
    rate: float = 0.1
    count: int = 1

    @field_validator("title")
    @classmethod
    def _no_x(cls, v):
        if v == "x":
            raise ValueError("a title is more than one letter")
        return v


@pytest.mark.parametrize("field,words", [
    ("on", "true or false"),
    ("title", "a text in quotes"),
    ("groups", "a list of whole numbers, e.g. [0, 2]"),
    ("norms", 'a list of texts, e.g. ["mines"]'),
    ("story", "one of: mirror, contrast"),
    ("share", "a number from 0 to 1"),
    ("steps", "a whole number from 1 to 520"),
    ("rate", "a number"),
    ("count", "a whole number"),
])
def test_what_a_field_accepts_in_words(field, words):
    assert allowed_in(Sample, field) == words


def test_a_file_is_read_once_as_tables_and_text(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('title = "Né"\n[group]\ncount = 2\n', encoding="utf-8")
    data, text = read_toml(path)
    assert data == {"title": "Né", "group": {"count": 2}}
    assert text == 'title = "Né"\n[group]\ncount = 2\n'


@pytest.mark.parametrize("content,words", [
    # the byte is counted from 0, as Python's decoder does: 'title = "caf' is 12 bytes
    (b'title = "caf\xe9"\n', "cannot be read: not UTF-8 text (byte 12); save it as UTF-8."),
    (b"title = \n", "malformed TOML: "),
])
def test_an_unreadable_file_gets_one_message_naming_it(tmp_path, content, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as err:
        read_toml(path)
    assert str(err.value).startswith(f"{path}: ") and words in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__  # no traceback chain


def test_a_missing_file_cannot_be_read(tmp_path):
    path = tmp_path / "none.toml"
    with pytest.raises(ScenarioError, match="none.toml: cannot be read: No such file"):
        read_toml(path)


def test_a_validated_file_names_each_bad_field_and_its_value_once(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('share = 1.5\nsteps = 0\ntitle = "x"\nwhen = 2024-05-01\n'
                    '[extra]\nk = 1\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_validated(path, Sample)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert "share = 1.5: Input should be less than or equal to 1" in message
    assert "steps = 0: Input should be greater than or equal to 1" in message
    assert "title = 'x': a title is more than one letter" in message  # 'Value error, ' dropped
    assert "when = 2024-05-01: Extra inputs are not permitted" in message  # a date as written
    assert "extra: Extra inputs are not permitted" in message  # a table: no value shown
    assert message.count(";") == 4  # five problems, one message
    assert isinstance(err.value, UserError)


def test_a_valid_file_gives_the_validated_object_and_its_text(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text("share = 0.25\n", encoding="utf-8")
    sample, text = read_validated(path, Sample)
    assert sample.share == 0.25 and text == "share = 0.25\n"


def test_a_file_or_a_shipped_name_is_found_and_neither_is_refused_with_the_names(tmp_path):
    (tmp_path / "alpha.toml").write_text("", encoding="utf-8")
    (tmp_path / "beta.toml").write_text("", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    mine = tmp_path / "mine" / "elsewhere.toml"
    mine.write_text("", encoding="utf-8")
    assert shipped_or_file(mine, tmp_path, "scenario") == mine
    assert shipped_or_file("beta", tmp_path, "scenario") == tmp_path / "beta.toml"
    with pytest.raises(ScenarioError) as err:
        shipped_or_file("gamma", tmp_path, "population")
    assert str(err.value) == ("no population file at 'gamma', and it is not a shipped population "
                              "(shipped: alpha, beta).")


def test_the_shipped_scenarios_are_package_data():
    folder = shipped_folder("normsim.scenarios")
    assert (folder / "baseline.toml").is_file()


def test_values_in_messages_are_shown_as_written():
    assert shown_value(date(2024, 5, 1)) == "2024-05-01"
    assert shown_value(time(9, 30)) == "09:30:00"
    assert shown_value("a") == "'a'" and shown_value(3) == "3"


def test_the_largest_seed_is_a_signed_64_bit_integer():
    assert MAX_SEED == 9_223_372_036_854_775_807
