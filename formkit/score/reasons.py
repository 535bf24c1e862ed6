"""The reasons behind a score, as data: a code and its values.

The rubric (:mod:`formkit.score.rubric`, :mod:`formkit.score.proposal`) and
scoring (:mod:`formkit.score.scoring`) say why a file got its level as
:class:`Reason` values; each is written out in English (the ``reasons`` of
``formkit score``'s output, README "Scoring") and in Thai (the committee
report) from the same values, so no reader ever has to take a sentence
apart again. ``formkit score`` writes them as ``details`` beside the
sentences; a score file without them (written by hand, or by an older
formkit) still reports, its reasons shown as written.

Every reason belongs to one section of the report (:attr:`Reason.section`):
``error`` (why the file was not scored), ``missing`` (evidence the office did
not supply), ``warning`` (what parse warned about) or ``reason``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The prefixes that file a reason sentence under its report section (README "Scoring").
NOT_SCORED = "not scored: "
MISSING = "missing evidence: "
WARNING = "parse warning: "
NOTE = "committee note: "
NO_JUDGMENT = "no committee judgment"
_PREFIXES = ((NOT_SCORED, "error"), (MISSING, "missing"), (WARNING, "warning"))
_SECTIONS = {"not-scored": "error", "work-short": "missing", "box-not-ticked": "missing", "warning": "warning"}
_FACTS_TH = {"works": "ผลงาน", "groups": "กลุ่ม", "done": "ประเด็นที่ดำเนินการ", "clear": "ประเด็นที่ชัดเจน",
             "all_done": "ดำเนินการครบทุกประเด็น"}
_MAX_DEPTH = 3  # a work's problems are reasons inside a reason; nothing nests deeper

Names = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: its ``code`` (README "Scoring" lists them) and the values
    it is told with. ``args`` holds only JSON values (a work's problems are
    reasons themselves)."""

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        """"error", "missing", "warning" or "reason"."""
        if self.code == "text":
            text = str(self.args.get("text", ""))
            return next((section for prefix, section in _PREFIXES if text.startswith(prefix)), "reason")
        return _SECTIONS.get(self.code, "reason")

    def text(self, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
        """The reason told in ``lang`` ("en" or "th") without its section's
        prefix; ``names`` gives the Thai title of each field, box and
        consideration by its name (:func:`formkit.score.report_model.names_of`)."""
        table = names or {}
        say = (_TH if lang == "th" else _EN).get(self.code)
        if say is None:
            return _plain(self)
        try:
            return say(self.args, lambda key: table.get(key, key) if lang == "th" else key)
        except (KeyError, TypeError, ValueError, AttributeError):
            return _plain(self)  # a hand-made detail with values of the wrong shape: never a crash

    def sentence(self) -> str:
        """The English sentence ``formkit score`` writes among its ``reasons``,
        with the prefix of its section."""
        if self.code == "text":
            return str(self.args.get("text", ""))
        return {"error": NOT_SCORED, "missing": MISSING, "warning": WARNING}.get(self.section, "") + self.text()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: ``{"code": ..., "args": {...}}``."""
        return {"code": self.code, "args": {k: _json(v) for k, v in self.args.items()}}


def text_reason(sentence: str) -> Reason:
    """A reason known only as its sentence (a score file without details)."""
    return Reason("text", {"text": sentence})


def from_dict(value: Any, depth: int = 0) -> Reason | None:
    """A reason read back from a score file's ``details``, or None when
    ``value`` is not one (checked, never trusted)."""
    if depth > _MAX_DEPTH or not isinstance(value, dict) or not isinstance(value.get("code"), str):
        return None
    args = value.get("args", {})
    if not isinstance(args, dict) or not all(isinstance(k, str) for k in args):
        return None
    out: dict[str, Any] = {}
    for key, item in args.items():
        if key == "problems":
            if not isinstance(item, list):
                return None
            problems = [from_dict(p, depth + 1) for p in item]
            if any(p is None for p in problems):
                return None
            out[key] = problems
        else:
            out[key] = item
    return Reason(value["code"], out)


def _json(value: Any) -> Any:
    if isinstance(value, Reason):
        return value.as_dict()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def _told(reason: Reason, table: Mapping[str, Callable[[Mapping[str, Any], Names], str]], n: Names) -> str:
    """A reason inside a reason (a work's problem), told with the same names."""
    say = table.get(reason.code)
    return say(reason.args, n) if say is not None else _plain(reason)


def _plain(reason: Reason) -> str:
    text = reason.args.get("text")
    if isinstance(text, str):
        for prefix, _ in _PREFIXES:
            if text.startswith(prefix):
                return text[len(prefix):]
        return text
    return reason.code


# -- English ------------------------------------------------------------------------

def _nums(numbers: Sequence[int]) -> str:
    return ", ".join(map(str, numbers)) if numbers else "none"


def _needs(needs: Sequence[Sequence[Any]]) -> str:
    return ", ".join(f"{fact} ≥ {value}" if op == "min" else f"{fact} = {value}" for fact, op, value in needs)


def _en_work(a: Mapping[str, Any], n: Names) -> str:
    name = f"work {a['number']} «{a['title']}»"
    if not a["counted"]:
        return f"{name} does not count: " + "; ".join(_told(p, _EN, n) for p in a["problems"])
    if a.get("same_as"):
        return f"{name} counts, but its group «{a['group']}» is the same as work {a['same_as']}'s"
    return f"{name} counts (group «{a['group']}»)"


def _en_support(a: Mapping[str, Any]) -> str:
    support = [f"{b} ticked" for b in a["boxes"]] + [f"document «{d}»" for d in a["documents"]]
    return ", ".join(support) if support else "no supporting box ticked, no named document"


def _en_addressed(a: Mapping[str, Any], n: Names) -> str:
    verdict = "addressed, clear" if a["clear"] else "addressed, not clear"
    detail = "specific" if a["specific"] else "not specific (no number or frequency)"
    return (f"consideration {a['number']} ({a['name']}): {verdict}: {a['field']} line {a['line']} «{a['quote']}»; "
            f"{detail}; support: {_en_support(a)}")


def _en_no_judgment(a: Mapping[str, Any], n: Names) -> str:
    if a.get("where"):
        return (f"{NO_JUDGMENT} for {a['file']}: its row ({a['where']}) has no mark, not judged yet; "
                "the level is only proposed from the text")
    unmatched = f" (unmatched: {'; '.join(a['unmatched'])})" if a.get("unmatched") else ""
    return f"{NO_JUDGMENT} for {a['file']} in {a['source']}: the level is only proposed from the text{unmatched}"


_EN: dict[str, Callable[[Mapping[str, Any], Names], str]] = {
    "works-summary": lambda a, n: (
        f"{a['counted']} of {a['total']} work(s) count, from {a['groups']} distinct group(s): level {a['level']}"
        + (f" (level {a['level'] + 1} needs {_needs(a['needs'])})" if a.get("needs") else "")),
    "work": _en_work,
    "work-short": lambda a, n: f"work {a['number']} «{a['title']}»: {a['have']} of {a['need']} {a['field']}",
    "box-not-ticked": lambda a, n: f"{a['label']} ({a['box']}) not ticked",
    "judged": lambda a, n: (f"committee judgments: carried out {_nums(a['done'])}; clear {_nums(a['clear'])}: "
                            f"level {a['level']}"),
    "not-carried-out": lambda a, n: f"consideration {a['number']} ({a['name']}) not carried out",
    "proposal": lambda a, n: (f"PROPOSAL, not a committee judgment: level {a['level']} proposed from the text "
                              f"({a['done']} of {a['total']} considerations addressed, {a['clear']} clear); "
                              "the committee's judgments decide"),
    "not-addressed": lambda a, n: f"consideration {a['number']} ({a['name']}): not done: no passage addresses it",
    "said-not-done": lambda a, n: (f"consideration {a['number']} ({a['name']}): not done: "
                                   f"{a['field']} line {a['line']} «{a['quote']}» says it was not"),
    "addressed": _en_addressed,
    "supporting-documents": lambda a, n: "supporting documents: " + (
        ", ".join(f"{box} {'ticked' if on else 'not ticked'}" for box, on in a["boxes"]) or "none"),
    "no-judgment": _en_no_judgment,
    "judgment-unused": lambda a, n: (f"the committee judgment for {a['file']} ({a['where']}) was not used: "
                                     f"{a['form']} is scored by its rubric"),
    "note": lambda a, n: NOTE + str(a["note"]),
    "warning": lambda a, n: f"{a['message']} [{a['warning']}]" if a.get("message") is not None else f"[{a['warning']}]",
    "not-scored": lambda a, n: ("" if not a.get("unreadable") else "the file could not be parsed: ")
                               + f"{a['message']} [{a['error']}]",
    "no-field": lambda a, n: f"no {a['field']} ({a['title']})",
    "no-group": lambda a, n: f"the group «{a['group']}» names no group",
    "too-few": lambda a, n: f"{a['have']} {a['field']}, at least {a['need']} needed",
}


# -- Thai ------------------------------------------------------------------------------

def _th_needs(needs: Sequence[Sequence[Any]]) -> str:
    return ", ".join(f"{_FACTS_TH.get(fact, fact)} ≥ {value}" if op == "min" else f"{_FACTS_TH.get(fact, fact)} = {value}"
                     for fact, op, value in needs)


def _th_none(numbers: Sequence[int]) -> str:
    return ", ".join(map(str, numbers)) if numbers else "ไม่มี"


def _th_work(a: Mapping[str, Any], n: Names) -> str:
    name = f"ผลงานที่ {a['number']} «{a['title']}»"
    if not a["counted"]:
        return f"{name} ไม่นับ: " + "; ".join(_told(p, _TH, n) for p in a["problems"])
    if a.get("same_as"):
        return f"{name} นับได้ แต่กลุ่ม «{a['group']}» ซ้ำกับผลงานที่ {a['same_as']}"
    return f"{name} นับได้ (กลุ่ม «{a['group']}»)"


def _th_addressed(a: Mapping[str, Any], n: Names) -> str:
    verdict = "ชัดเจน" if a["clear"] else "ไม่ชัดเจน"
    detail = "เฉพาะเจาะจง" if a["specific"] else "ไม่เฉพาะเจาะจง (ไม่มีจำนวนหรือความถี่)"
    support = [f"{n(b)} ทำเครื่องหมายแล้ว" for b in a["boxes"]] + [f"เอกสาร «{d}»" for d in a["documents"]]
    backing = ", ".join(support) if support else "ไม่มีช่องหลักฐานที่ทำเครื่องหมาย ไม่มีเอกสารที่ระบุ"
    return (f"ประเด็นที่ {a['number']} ({n(a['name'])}): กล่าวถึง {verdict}: {n(a['field'])} บรรทัดที่ {a['line']} "
            f"«{a['quote']}»; {detail}; หลักฐาน: {backing}")


def _th_no_judgment(a: Mapping[str, Any], n: Names) -> str:
    if a.get("where"):
        return (f"ไม่มีผลการพิจารณาของคณะกรรมการสำหรับ {a['file']}: แถวของไฟล์นี้ ({a['where']}) ยังไม่ได้ระบุผล; "
                "ระดับเป็นเพียงข้อเสนอจากข้อความ")
    unmatched = f" (ไม่ตรงกับไฟล์ใด: {'; '.join(a['unmatched'])})" if a.get("unmatched") else ""
    return f"ไม่มีผลการพิจารณาของคณะกรรมการสำหรับ {a['file']} ใน {a['source']}: ระดับเป็นเพียงข้อเสนอจากข้อความ{unmatched}"


_TH: dict[str, Callable[[Mapping[str, Any], Names], str]] = {
    "works-summary": lambda a, n: (
        f"นับได้ {a['counted']} จาก {a['total']} ผลงาน จาก {a['groups']} กลุ่มที่ไม่ซ้ำกัน: ระดับ {a['level']}"
        + (f" (ระดับ {a['level'] + 1} ต้องมี {_th_needs(a['needs'])})" if a.get("needs") else "")),
    "work": _th_work,
    "work-short": lambda a, n: f"ผลงานที่ {a['number']} «{a['title']}»: มี{n(a['field'])} {a['have']} จาก {a['need']} รายการที่ต้องมี",
    "box-not-ticked": lambda a, n: f"ไม่ได้ทำเครื่องหมาย: {a['label']}",
    "judged": lambda a, n: (f"ผลการพิจารณาของคณะกรรมการ: ดำเนินการแล้วประเด็นที่ {_th_none(a['done'])}; "
                            f"ชัดเจนประเด็นที่ {_th_none(a['clear'])}: ระดับ {a['level']}"),
    "not-carried-out": lambda a, n: f"ประเด็นที่ {a['number']} ({n(a['name'])}) ไม่ได้ดำเนินการ",
    "proposal": lambda a, n: (f"ข้อเสนอจากข้อความ ไม่ใช่ผลการพิจารณาของคณะกรรมการ: เสนอระดับ {a['level']} "
                              f"(กล่าวถึง {a['done']} จาก {a['total']} ประเด็น ชัดเจน {a['clear']} ประเด็น); "
                              "คณะกรรมการเป็นผู้ตัดสิน"),
    "not-addressed": lambda a, n: f"ประเด็นที่ {a['number']} ({n(a['name'])}): ไม่ได้ดำเนินการ: ไม่พบข้อความที่กล่าวถึง",
    "said-not-done": lambda a, n: (f"ประเด็นที่ {a['number']} ({n(a['name'])}): ไม่ได้ดำเนินการ: "
                                   f"{n(a['field'])} บรรทัดที่ {a['line']} «{a['quote']}» ระบุว่าไม่ได้ทำ"),
    "addressed": _th_addressed,
    "supporting-documents": lambda a, n: "เอกสารประกอบ: " + (
        ", ".join(f"{n(box)} {'ทำเครื่องหมายแล้ว' if on else 'ไม่ได้ทำเครื่องหมาย'}" for box, on in a["boxes"]) or "ไม่มี"),
    "no-judgment": _th_no_judgment,
    "judgment-unused": lambda a, n: (f"ไม่ได้ใช้ผลการพิจารณาของคณะกรรมการสำหรับ {a['file']} ({a['where']}): "
                                     f"{a['form']} ประเมินตามเกณฑ์"),
    "note": lambda a, n: f"หมายเหตุของคณะกรรมการ: {a['note']}",
    "warning": lambda a, n: _EN["warning"](a, n),  # parse's own words, with the code to look up
    "not-scored": lambda a, n: ("" if not a.get("unreadable") else "อ่านไฟล์ไม่ได้: ") + f"{a['message']} [{a['error']}]",
    "no-field": lambda a, n: f"ไม่มี{a['title']}",
    "no-group": lambda a, n: f"«{a['group']}» ไม่ใช่ชื่อกลุ่ม",
    "too-few": lambda a, n: f"มี{n(a['field'])} {a['have']} รายการ ต้องมีอย่างน้อย {a['need']}",
}


def why(work: Reason, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    """Why a work did not count ("no title (ชื่อผลงาน); 2 photos, at least 4
    needed"), or why a counted work added no group, in ``lang``; "" otherwise."""
    a = work.args
    if a.get("counted"):
        if not a.get("same_as"):
            return ""
        if lang == "th":
            return f"กลุ่ม «{a['group']}» ซ้ำกับผลงานที่ {a['same_as']} (ไม่เพิ่มจำนวนกลุ่ม)"
        return f"its group «{a['group']}» is the same as work {a['same_as']}'s"
    return "; ".join(p.text(lang, names) for p in a.get("problems") or ())
