"""The app in the visitor's language: gettext catalogues read with Babel, numbers in their style.

Catalogues: ``normsim/app/locale/<language>/LC_MESSAGES/app.po``; a language is offered when its
folder is there (add ``es/`` or ``ar/`` and it appears; Arabic pages are laid out right to left).
Babel compiles each ``.po`` in memory when first used, so there is no build step.

Two kinds of entry:

- interface words: the English text is the message id, marked in the code with ``_()`` (or
  ``N_()`` where it is declared before a language is known, ``ngettext()`` for plurals);
- declared things, keyed by a context and a name (:func:`declared`): ``parameter`` (a
  parameter's label, by its flat name), ``help`` (its meaning), ``event`` (a sentence for an
  event kind, with ``{value}``, ``{detail}``, ``{norm}`` and ``{engager}``), ``marker`` (an
  event's short label on the charts), ``norm`` (a norm as a sentence names it), ``norm name``
  (a norm in two or three words), ``engager kind`` (an engager kind's title), ``engager`` (an
  engager as a sentence names it), ``choice`` (a value of a parameter with a few choices:
  ``approach=most_open``, ``type=predatory``), ``value`` (a value in words, ``name=value``),
  ``detail`` (words an event's detail names), ``stage``, ``error`` (a typed schema error, with
  the error's context) and ``language`` (a language's own name). English takes the model's own
  words where the model declares them (parameters' labels and meanings, events, markers, norms
  and their short names, engager kinds, group types); every other language has its own, and its
  catalogue lists every declared thing so that a missing translation shows as an empty entry.

``python -m normsim.app.i18n`` brings every catalogue in line with the code and the model: new
interface words and declared things are added (a translator then fills in the empty entries)
and words no longer said, or things no longer declared, are dropped; tests check that no
language lacks one.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal, format_percent

from normsim.engagers import KINDS
from normsim.events import TEXTS, kinds, markers
from normsim.params import label
from normsim.rules.norms import NORMS
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, list_scenarios
import normsim.simulation.model  # noqa: F401  (declares the model's event kinds)
from normsim.simulation.records import STAGES
from normsim.world.commanders import LEVELS
from normsim.world.integration import FACTORS
from normsim.world.typology import TYPES

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


@cache
def _shared_engager_labels() -> frozenset:
    """(kind, label) of the engager kinds' parameters whose label another kind's parameter also
    has (a capability's settings): named with their kind, so that two sliders on one page never
    share an accessible name."""
    kinds_of: dict[str, set] = {}
    for kind in KINDS:
        for field in ALL_SECTIONS[kind].model_fields:
            kinds_of.setdefault(label(ALL_SECTIONS[kind], field), set()).add(kind)
    return frozenset((kind, words) for words, kinds in kinds_of.items() if len(kinds) > 1
                     for kind in kinds)


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
        """A parameter's short label (English: its declared ``label=``)."""
        section, field = PARAMETERS[name]
        words = label(ALL_SECTIONS[section], field)
        if (section, words) in _shared_engager_labels():  # a capability's field many kinds have
            words = f"{section.replace('_', ' ')}: {words}"  # 'deed: interval between meetings'
        return self.pgettext("parameter", name, words[:1].upper() + words[1:])

    def help(self, name: str) -> str:
        """A parameter's meaning (English: the schema's own words)."""
        section, field = PARAMETERS[name]
        return self.pgettext("help", name, ALL_SECTIONS[section].model_fields[field].description)

    def marker(self, kind: str) -> str:
        """An event's short label on a chart (English: the one declared with the event)."""
        return self.pgettext("marker", kind, markers().get(kind, kind))

    def norm(self, key: str) -> str:
        """A norm as a sentence names it: "the ban on anti-personnel mines" ('': IHL)."""
        if not key:
            return self.pgettext("norm", "IHL", "IHL")
        return self.pgettext("norm", key, NORMS[key].title if key in NORMS else key)

    def norm_name(self, key: str) -> str:
        """A norm in two or three words, for legends and lists: "anti-personnel mines"
        (English: the norm's declared ``short``)."""
        return self.pgettext("norm name", key, NORMS[key].short if key in NORMS else key)

    def engager_kind(self, kind: str) -> str:
        """An engager kind's title: "Deed of commitment (Geneva Call-style)"."""
        return self.pgettext("engager kind", kind,
                             KINDS[kind].Settings.title if kind in KINDS else kind)

    def engager(self, name: str) -> str:
        """An engager as a sentence names it ("the persuader"); a name given in the scenario
        stays as it is."""
        kind = next((k for k, cls in KINDS.items() if cls.noun == name), None)
        return self.pgettext("engager", kind, f"the {name}") if kind else name

    def choice(self, field: str, value) -> str:
        """One of a parameter's few choices in words ("the most open first"; a group type)."""
        default = (TYPES[value].title if field == "type" and value in TYPES
                   else self._("none") if field == "type" else str(value))
        return self.pgettext("choice", f"{field}={value}", default)

    def scenario(self, key: str, title: str, description: str = "") -> tuple[str, str]:
        """A shipped scenario's title and description in this language (English, or a scenario
        file of the trainer's own: the file's words, as written)."""
        return (self.pgettext("scenario title", key, title),
                self.pgettext("scenario description", key, description))

    def translated_scenario(self, key: str) -> bool:
        """Whether a scenario's description reads in this language (for the page's ``lang``)."""
        return self.language == SOURCE or self.has("scenario description", key)

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


#: contexts whose English words the model declares (English needs no catalogue entry for them)
MODEL_WORDS = ("parameter", "help", "event", "marker", "norm", "norm name", "engager kind",
               "engager")
NEVER_DROPPED = ("language",)  # contexts of things that are not declared by the model


def choices() -> dict[str, tuple]:
    """Parameters' fields with a few choices -> the choices (engagers' approach, group type)."""
    out = {}
    for section, field in PARAMETERS.values():
        kind = ALL_SECTIONS[section].model_fields[field].annotation
        if getattr(kind, "__origin__", None) is Literal:
            out[field] = tuple(kind.__args__)
    out["type"] = ("", *TYPES)
    return out


def declared(language: str) -> list[tuple[str, str]]:
    """Every keyed entry a catalogue in ``language`` must have: (context, key)."""
    keys = [("stage", s) for s in STAGES] + [("detail", d) for d in (*FACTORS, *LEVELS)]
    keys += [("detail", norm.why_costly) for norm in NORMS.values()]
    keys += [("error", e) for e in ("peace_window", "engagement_window")]
    keys += [("choice", f"{field}={value}") for field, values in choices().items()
             for value in values if field != "type" or value == ""]
    if language != SOURCE:
        keys += [("parameter", name) for name in PARAMETERS] + [("norm name", n) for n in NORMS]
        keys += [("help", name) for name in PARAMETERS] + [("event", kind) for kind in kinds()]
        keys += [("marker", kind) for kind in markers()] + [("norm", n) for n in (*NORMS, "IHL")]
        keys += [("engager kind", k) for k in KINDS] + [("engager", k) for k in KINDS]
        keys += [("choice", f"type={key}") for key in choices()["type"] if key]
        keys += [("event text", words) for words in TEXTS]
        keys += [(f"scenario {part}", name) for name, *_ in list_scenarios()
                 for part in ("title", "description")]
    return keys


def update_catalogues() -> list[Path]:
    """Bring every catalogue in line with the code and the model: add the interface words found
    in the code and the declared things (:func:`declared`) it lacks, drop those no longer said
    or declared (kept entries keep their words)."""
    template = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
            Path(__file__).parent, method_map=[("**.py", "python")], keywords=KEYWORDS):
        template.add(message, locations=[(filename, lineno)], context=context)
    written = []
    for language in languages():
        catalogue = read_catalogue(language)
        keyed = set(declared(language))
        for message in list(catalogue):
            if not message.id:
                continue
            if message.context is None and template.get(message.id) is None:
                catalogue.delete(message.id)  # interface words the code no longer says
            elif (message.context is not None and message.context not in NEVER_DROPPED
                  and template.get(message.id, context=message.context) is None
                  and (message.context, message.id) not in keyed
                  and message.context != "value"):
                catalogue.delete(message.id, context=message.context)  # no longer declared
        for message in template:
            if message.id and catalogue.get(message.id, context=message.context) is None:
                catalogue.add(message.id, context=message.context)
        for context, key in declared(language):
            if catalogue.get(key, context=context) is None:
                catalogue.add(key, context=context)
        with po_path(language).open("wb") as f:
            write_po(f, catalogue, width=100, omit_header=False, sort_output=False)
        written.append(po_path(language))
    return written


if __name__ == "__main__":  # python -m normsim.app.i18n
    for path in update_catalogues():
        print(f"updated {path}")
