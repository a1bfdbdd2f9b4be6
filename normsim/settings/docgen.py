"""Generate the parameter tables of docs/ODD.md from the schema, so the two cannot disagree.

    python -m normsim.settings.docgen          # print the tables
    python -m normsim.settings.docgen --write  # replace them in docs/ODD.md between the markers
"""

from __future__ import annotations

import sys
from pathlib import Path

from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, allowed
from normsim.settings.schema import ENGAGER_SECTIONS, RUN_ONLY

ODD = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"
START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"


def title(section: str) -> str:
    """A section's heading: its declared title (an engager kind's says it is one)."""
    cls = ALL_SECTIONS[section]
    text = cls.title or section.title()
    return f"Engager `{section}`: {text}" if section in ENGAGER_SECTIONS else text


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameter_tables() -> str:
    """Markdown: one table per section with key, keyword, default, range, unit, meaning, source."""
    flat_of = {v: k for k, v in PARAMETERS.items()}
    out = []
    for section, cls in ALL_SECTIONS.items():
        out += [f"#### {title(section)}", "",
                "| key | keyword | default | allowed | unit | meaning | source or assumption |",
                "|---|---|---|---|---|---|---|"]
        for field, info in cls.model_fields.items():
            extra = info.json_schema_extra or {}
            if field == "kind":
                continue
            keyword = flat_of.get((section, field), "—")
            default = info.default
            default = str(default).lower() if isinstance(default, bool) else default
            out.append("| " + " | ".join(_cell(x) for x in (
                f"`{section}.{field}`", f"`{keyword}`" if keyword != "—" else (
                    "— (run only)" if field in RUN_ONLY else "— (a list, per engager)"),
                f"`{default}`", allowed(section, field), extra.get("unit", ""),
                info.description, extra.get("source", ""))) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write(path: Path = ODD) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n{parameter_tables()}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        print(parameter_tables())
