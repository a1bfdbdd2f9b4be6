"""The app in the visitor's language: gettext catalogues read with Babel, numbers in their style.

Catalogues: ``normsim/app/locale/<language>/LC_MESSAGES/app.po``; a language is offered when its
folder is there (add ``es/`` or ``ar/`` and it appears; Arabic pages are laid out right to left).
Babel compiles each ``.po`` in memory when first used, so there is no build step.

Two kinds of entry:

- interface words: the English text is the message id, marked in the code with ``_()`` (or
  ``N_()`` where it is declared before a language is known, ``ngettext()`` for plurals);
- declared things, keyed by a context and a name, whose English words are in the English
  catalogue too: ``parameter`` (a parameter's label, by its flat name), ``help`` (its meaning;
  English falls back to the schema's own), ``value`` (a value in words, ``name=value``),
  ``event`` (a sentence for an event kind, with ``{value}`` and ``{detail}``), ``marker`` (an
  event's short label on the charts), ``detail`` (words an event's detail names), ``error`` (a
  typed schema error, with the error's context) and ``language`` (a language's own name).

``python -m normsim.app.i18n`` brings every catalogue in line with the code: new interface words
are added (a translator then fills in the empty entries) and words no longer said are dropped;
tests check that no language lacks one.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal, format_percent

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "app"
SOURCE = "en"  # the language of the message ids
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def N_(message: str) -> str:
    """Mark a message for translation where it is declared; translate it where it is shown."""
    return message


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(found, key=lambda code: code != SOURCE))


def read_catalogue(language: str):
    with po_path(language).open("rb") as f:
        return read_po(f, locale=language)


@cache
def _compiled(language: str) -> gettext.GNUTranslations:
    out = io.BytesIO()
    write_mo(out, read_catalogue(language))
    out.seek(0)
    return gettext.GNUTranslations(out)


@cache
def _keys(language: str) -> frozenset:
    return frozenset((m.context, m.id) for m in read_catalogue(language) if m.id and m.string)


class Translator:
    """Everything the page says, in one language (falling back to English, then the id)."""

    def __init__(self, language: str):
        self.language = language if language in languages() else SOURCE
        self.locale = Locale.parse(self.language)
        self._t = _compiled(self.language)
        self._en = _compiled(SOURCE)

    # -- gettext -----------------------------------------------------------------------------
    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, key: str, default: str | None = None) -> str:
        """A keyed entry: this language's, else English, else ``default`` (or the key)."""
        for catalogue in (self._t, self._en):
            text = catalogue.pgettext(context, key)
            if text != key:
                return text
        return key if default is None else default

    def has(self, context: str, key: str) -> bool:
        """Whether this language's catalogue has words for a keyed entry."""
        return (context, key) in _keys(self.language)

    # -- declared things ---------------------------------------------------------------------
    def label(self, name: str) -> str:
        """A parameter's short label: "How intense is the fighting?"."""
        return self.pgettext("parameter", name)

    def help(self, name: str) -> str:
        """A parameter's meaning (English: the schema's own words)."""
        from normsim.scenario import PARAMETERS
        from normsim.scenario import ALL_SECTIONS as SECTIONS

        section, field = PARAMETERS[name]
        return self.pgettext("help", name, SECTIONS[section].model_fields[field].description)

    def marker(self, kind: str) -> str:
        return self.pgettext("marker", kind)

    def language_name(self, code: str) -> str:
        """A language by its own name ("français"), as a language switch shows it."""
        return Locale.parse(code).get_display_name(code).capitalize()

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    # -- numbers -----------------------------------------------------------------------------
    def percent(self, share: float, digits: int = 0) -> str:
        return format_percent(share, "#,##0" + ("." + "0" * digits if digits else "") + "%",
                              locale=self.locale)

    def number(self, value: float, digits: int = 2) -> str:
        return format_decimal(value, "#,##0." + "0" * digits if digits else "#,##0",
                              locale=self.locale)


@cache
def translator(language: str) -> Translator:
    return Translator(language)


def update_catalogues() -> list[Path]:
    """Add the interface words found in the code to every catalogue (kept entries stay)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
            Path(__file__).parent, method_map=[("**.py", "python")], keywords=KEYWORDS):
        template.add(message, locations=[(filename, lineno)], context=context)
    written = []
    for language in languages():
        catalogue = read_catalogue(language)
        for message in list(catalogue):  # interface words the code no longer says
            if message.id and message.context is None and template.get(message.id) is None:
                catalogue.delete(message.id)
        for message in template:
            if message.id and catalogue.get(message.id, context=message.context) is None:
                catalogue.add(message.id, context=message.context)
        with po_path(language).open("wb") as f:
            write_po(f, catalogue, width=100, omit_header=False, sort_output=False)
        written.append(po_path(language))
    return written


if __name__ == "__main__":  # python -m normsim.app.i18n
    for path in update_catalogues():
        print(f"updated {path}")
