"""The pages' languages: Thai first, English second. The catalogues are
gettext .po files under locale/, read at run time with Babel (no build
step); the message ids are the English text."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = ("th", "en")
DEFAULT = "th"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation of one language (empty translations left out)."""
    from babel.messages.pofile import read_po

    path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string}


def translate(lang: str, message: str) -> str:
    return catalogue(lang if lang in LANGUAGES else DEFAULT).get(message, message)
