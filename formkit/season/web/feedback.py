"""What an office is told right after an upload, in plain words: which form
it is, the values read in the form's order, each warning explained, what the
rubric will make of it (from the score's reasons as data, never from their
sentences), and for a file that cannot be read, why and what to do.

Every message is an English template (the catalogues' message id) filled
with values; :func:`feedback` returns ``[{"code", "message"}]``.
"""
from __future__ import annotations

from typing import Any

from formkit.season.web.i18n import translate

# what to do about a file that cannot be read, by the parse pipeline's error code
ADVICE = {
    "not-docx": "Open it in Word and save it as a Word document (.docx), then upload that file.",
    "corrupt": "The file is damaged: open the form again in Word, save it as .docx and upload that file.",
    "encrypted": "The file has a password: remove the password in Word (File, Info, Protect Document) and upload again.",
    "missing-part": "The file is damaged: open the form again in Word, save it as .docx and upload that file.",
    "bad-xml": "The file is damaged: open the form again in Word, save it as .docx and upload that file.",
    "unsafe-xml": "The file holds content that is refused for safety: save the form again from Word as .docx.",
    "too-large": "The file is too large: make the photos smaller (Word: Compress Pictures) and upload again.",
    "unknown-form": "This is not one of the season's forms: download your prefilled form from this page, "
                    "fill it in and upload it.",
    "conversion-failed": "The file could not be converted: open it in Word, save it as .docx and upload that file.",
    "conversion-timeout": "The file could not be converted in time: open it in Word, save it as .docx and upload "
                          "that file.",
    "converter-missing": "This server cannot convert .doc, .rtf or .odt files: save the form as .docx and upload "
                         "that file.",
}
DEFAULT_ADVICE = "Save the form as .docx in Word and upload it again; if it still fails, contact the committee."

# each warning in plain words
WARNINGS = {
    "multiple-levels-ticked": "More than one quality level is ticked: tick exactly one and upload again.",
    "field-not-found": "A part of the form was not found ({field}): check that it was not deleted or moved.",
    "checkbox-state-lost": "Whether a box is ticked cannot be told from this file: save it as .docx in Word and "
                           "upload again.",
    "box-glyph-dropped": "A box was read from the mark left in its place: check that the right box is ticked.",
    "answer-without-box": "An answer is written beside a box that is not ticked ({field}): tick the box or remove "
                          "the answer.",
    "form-incomplete": "Parts of the form are missing: use the prefilled form from this page.",
    "struck-text": "Struck-through text was left out of an answer ({field}).",
    "struck-box": "A struck-through box is not read as ticked ({field}).",
    "tracked-changes": "The file holds tracked changes: they were read as accepted. Accept or reject them in Word "
                       "to be sure.",
    "comments-ignored": "The file holds comments: they are not part of any answer.",
    "table-gone": "The form's table is missing (the file was saved by a program that removed it): the level was "
                  "read from the text.",
    "line-breaks-lost": "Line breaks in an answer were lost in conversion: save the form as .docx to keep them.",
}
OTHER_WARNING = "{message}"


def say(lang: str, template: str, **values: Any) -> str:
    return translate(lang, template).format(**{k: str(v) for k, v in values.items()})


def _names(form: str | None) -> dict[str, str]:
    from formkit.score.report_model import names_of

    return names_of(form)


def form_title(form: str | None) -> str:
    from formkit import forms
    from formkit.errors import FormkitError

    try:
        return str(forms.load_id(str(form)).title)
    except FormkitError:
        return ""


def values(envelope: dict[str, Any], limit: int = 400) -> list[tuple[str, str]]:
    """(title, value as text) for each field of the form, in the form's order."""
    from formkit import forms
    from formkit.errors import FormkitError

    record = envelope.get("record")
    if not isinstance(record, dict):
        return []
    try:
        fields = [(f.name, f.title, dict(f.items or ())) for f in forms.load_id(str(envelope.get("form"))).fields]
    except FormkitError:
        fields = [(k, k, {}) for k in record]
    return [(title, _show(_labelled(record.get(name), boxes), limit)) for name, title, boxes in fields]


def _labelled(value: Any, boxes: dict[str, str]) -> Any:
    """A boxes field's ticks named by the box labels the office sees on its form."""
    if boxes and isinstance(value, dict):
        return {boxes.get(key, key): ticked for key, ticked in value.items()}
    return value


def _show(value: Any, limit: int) -> str:
    out: list[str] = []
    _walk(value, out, limit)
    text = "".join(out)
    return text if len(text) <= limit else text[:limit] + "…"


def _walk(value: Any, out: list[str], budget: int) -> None:
    if sum(map(len, out)) > budget:
        return
    if value is None or value == "" or value == [] or value == {}:
        out.append("—")
    elif isinstance(value, bool):
        out.append("✓" if value else "✗")
    elif isinstance(value, dict):
        if {"sha256", "media_type"} & set(value):  # a photo
            out.append("[photo]")
            return
        ticked = [str(k) for k, v in value.items() if v is True]
        if value and all(isinstance(v, bool) for v in value.values()):
            out.append(", ".join(ticked) or "—")
            return
        for i, (key, item) in enumerate(value.items()):
            out.append(("; " if i else "") + f"{key}: ")
            _walk(item, out, budget)
    elif isinstance(value, list):
        out.append(f"({len(value)}) ")
        for i, item in enumerate(value):
            out.append(" | " if i else "")
            _walk(item, out, budget)
    else:
        out.append(str(value))


def feedback(envelope: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """The messages about one parse envelope, in ``lang``."""
    out: list[dict[str, str]] = []
    error = envelope.get("error")
    if error:
        code = str(error.get("code", ""))
        out.append({"code": f"error:{code}", "message": say(lang, "This file cannot be read: {reason}.",
                                                           reason=error.get("message", code))})
        out.append({"code": f"advice:{code}", "message": say(lang, ADVICE.get(code, DEFAULT_ADVICE))})
        return out
    form = envelope.get("form")
    out.append({"code": "form", "message": say(lang, "This is the form {form}: {title}.", form=form,
                                               title=form_title(form))})
    for warning in envelope.get("warnings") or []:
        code = str(warning.get("code", ""))
        template = WARNINGS.get(code, OTHER_WARNING)
        out.append({"code": f"warning:{code}", "message": say(lang, template, field=warning.get("field") or "",
                                                              message=warning.get("message", code))})
    record = envelope.get("record")
    if isinstance(record, dict) and "level" in record and record.get("level") is None and not any(
            w.get("code") == "multiple-levels-ticked" for w in envelope.get("warnings") or []):
        out.append({"code": "no-level", "message": say(lang, "No quality level is ticked: tick one and upload again.")})
    out.extend(left_empty(envelope, lang))
    out.extend(rubric(envelope, lang))
    return out


_ANSWER_KINDS = ("section", "value", "lines", "date", "signature", "grid")


def left_empty(envelope: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """Each answer of the form (not an optional one) still at its dots: read as empty."""
    from formkit import forms
    from formkit.errors import FormkitError

    record = envelope.get("record")
    try:
        fields = forms.load_id(str(envelope.get("form"))).fields
    except FormkitError:
        return []
    if not isinstance(record, dict):
        return []
    empty = [f for f in fields if f.kind in _ANSWER_KINDS and not f.optional and _blank(record.get(f.name))]
    return [{"code": f"empty:{f.name}", "message": say(lang, "Not filled in: {title} (the answer is still at the "
                                                             "dots).", title=f.title)} for f in empty]


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return all(_blank(v) for v in (value.values() if isinstance(value, dict) else value))
    return value is None


def rubric(envelope: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """What the rubric will make of the file, from the score's reasons."""
    from formkit import api
    from formkit.errors import FormkitError

    try:
        scored = api.score_results([envelope], convert=False)[0]
    except FormkitError:
        return []
    names = _names(envelope.get("form")) if lang == "th" else {}
    out = []
    judged = False
    for reason in scored.why():
        if reason.code in ("works-summary", "work", "box-not-ticked"):
            out.append({"code": f"rubric:{reason.code}", "message": reason.text(lang, names)})
        elif reason.code in ("proposal", "addressed", "not-addressed", "said-not-done", "no-judgment"):
            judged = True
    if judged:
        out.append({"code": "rubric:committee", "message": say(
            lang, "The committee reads and judges the narrative; the level is decided by its judgment.")})
    return out
