"""The committee report's words: Thai first, English on request.

Labels are kept in one table per language (:data:`WORDS`); dates are
written the Thai way, day, month name and Buddhist Era year (พ.ศ. = C.E. +
543), as Thai official documents date them; the reasons that
:mod:`formkit.score.rubric` and :mod:`formkit.score.scoring` write in English
are put into Thai by the patterns of their documented shapes (README
"Scoring"). A reason no pattern knows is shown as it was written, so a new
reason is never lost, only left in English.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

LANGS = ("th", "en")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
BE_OFFSET = 543  # the Buddhist Era year is the Common Era year plus 543

WORDS: dict[str, dict[str, str]] = {
    "th": {
        "title": "รายงานผลการประเมินสำหรับคณะกรรมการ",
        "made": "จัดทำเมื่อ",
        "office": "สำนักงาน", "form": "แบบ", "file": "ไฟล์", "details": "รายละเอียดและเหตุผล",
        "level": "ระดับ", "self": "ประเมินตนเอง", "kind": "ที่มาของระดับ",
        "status": "สถานะ", "reasons": "เหตุผล", "missing": "หลักฐานที่ขาด", "warnings": "คำเตือนจากการอ่านไฟล์",
        "error": "ข้อผิดพลาด", "works": "ผลงาน", "work_no": "ที่", "work_title": "ชื่อผลงาน", "group": "กลุ่ม",
        "counted": "นับหรือไม่", "why": "เหตุผล", "photos": "จำนวนภาพ", "yes": "นับ", "no": "ไม่นับ",
        "rubric": "ผลตามเกณฑ์", "judgments": "ผลการพิจารณาของคณะกรรมการ",
        "auto": "ข้อเสนออัตโนมัติ (ยังไม่ใช่ผลการประเมิน)", "proposal": "ข้อเสนอ",
        "agrees": "ตรงกับที่ประเมินตนเอง", "differs": "ต่างจากที่ประเมินตนเอง",
        "unticked": "ไม่ได้ทำเครื่องหมายระดับ", "awaiting": "รอคณะกรรมการพิจารณา", "failed": "ประเมินไม่ได้",
        "no_office": "ไม่พบชื่อสำนักงานในไฟล์ ใช้ชื่อไฟล์แทน",
        "all_forms": "ทุกแบบ", "filter": "กรอง: สำนักงาน ไฟล์ ข้อความ…", "differs_only": "เฉพาะที่ต่างจากที่ประเมินตนเอง",
        "rows": "แถว", "charts": "การกระจายระดับคุณภาพ", "table": "ผลรายสำนักงาน", "failed_list": "ไฟล์ที่ประเมินไม่ได้",
        "none_failed": "ไม่มี: ประเมินได้ทุกไฟล์", "no_scores": "ไม่มีไฟล์ที่ประเมินได้",
        "final": "ระดับที่ได้ (ตามเกณฑ์/คณะกรรมการ)", "proposed": "ข้อเสนออัตโนมัติ", "ticked": "ประเมินตนเอง",
        "summary": "สรุป", "offices": "สำนักงาน", "files": "ไฟล์", "n_rubric": "ประเมินตามเกณฑ์",
        "n_judgments": "ตามผลการพิจารณาของคณะกรรมการ", "n_auto": "ข้อเสนออัตโนมัติ (ไม่นับเป็นผลการประเมิน)",
        "n_failed": "ประเมินไม่ได้", "n_differ": "ระดับที่ได้ต่างจากที่ประเมินตนเอง",
        "levels_sheet": "การกระจายระดับ", "offices_sheet": "สำนักงาน", "files_sheet": "ผลรายไฟล์",
        "works_sheet": "ผลงาน", "failed_sheet": "ประเมินไม่ได้", "files_count": "จำนวนไฟล์",
        "chart_title": "ระดับคุณภาพของแต่ละแบบ", "not_counted": "(ไม่นับเป็นผลการประเมิน)",
    },
    "en": {
        "title": "Committee report",
        "made": "Made",
        "office": "Office", "form": "Form", "file": "File", "details": "Details and reasons",
        "level": "Level", "self": "Self-assessed", "kind": "Basis",
        "status": "Status", "reasons": "Reasons", "missing": "Missing evidence", "warnings": "Parse warnings",
        "error": "Error", "works": "Works", "work_no": "No.", "work_title": "Title", "group": "Group",
        "counted": "Counted", "why": "Why", "photos": "Photos", "yes": "counted", "no": "not counted",
        "rubric": "scored by the rubric", "judgments": "committee judgment",
        "auto": "automatic proposal (not a score yet)", "proposal": "Proposal:",
        "agrees": "agrees with the self-assessment", "differs": "differs from the self-assessment",
        "unticked": "no level ticked", "awaiting": "awaiting the committee's judgment", "failed": "not scored",
        "no_office": "no office named in the file: the file name stands for it",
        "all_forms": "all forms", "filter": "filter: office, file, text…", "differs_only": "differing only",
        "rows": "rows", "charts": "Level distribution", "table": "Results by office", "failed_list": "Files not scored",
        "none_failed": "none: every file was scored", "no_scores": "no scored files",
        "final": "scored level (rubric/committee)", "proposed": "automatic proposal", "ticked": "self-assessed",
        "summary": "Summary", "offices": "office(s)", "files": "file(s)", "n_rubric": "scored by the rubric",
        "n_judgments": "by committee judgment", "n_auto": "automatic proposals (not counted as scores)",
        "n_failed": "not scored", "n_differ": "scored level differs from the self-assessment",
        "levels_sheet": "Levels", "offices_sheet": "Offices", "files_sheet": "Files",
        "works_sheet": "Works", "failed_sheet": "Failed", "files_count": "files",
        "chart_title": "Level per form", "not_counted": "(not counted as scores)",
    },
}


def words(lang: str) -> dict[str, str]:
    """The labels of ``lang`` ("th" or "en")."""
    return WORDS[lang]


def date_text(when: dt.datetime, lang: str) -> str:
    """``when`` as a reader of ``lang`` dates it: "7 ธันวาคม พ.ศ. 2569 เวลา
    08:05 น." (Buddhist Era year, Thai month name) or "7 December 2026, 08:05"."""
    if lang == "th":
        return (f"{when.day} {THAI_MONTHS[when.month - 1]} พ.ศ. {when.year + BE_OFFSET} "
                f"เวลา {when:%H:%M} น.")
    return f"{when.day} {when:%B %Y, %H:%M}"


# -- reasons ------------------------------------------------------------------------

_FACTS = {"works": "ผลงาน", "groups": "กลุ่ม", "done": "ประเด็นที่ดำเนินการ", "clear": "ประเด็นที่ชัดเจน",
          "all_done": "ดำเนินการครบทุกประเด็น"}
Names = Callable[[str], str]
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Names], str]]


def _needs(text: str) -> str:
    """"works ≥ 3, groups ≥ 3" in Thai."""
    return re.sub(r"\b(all_done|works|groups|done|clear)\b", lambda m: _FACTS[m.group(1)], text)


def _problem(text: str, name: Names) -> str:
    """One reason a work does not count (rubric ``_work_problems``)."""
    found = re.fullmatch(r"no (\w+) \((.*)\)", text)
    if found:
        return f"ไม่มี{found.group(2)}"
    found = re.fullmatch(r"the group «(.*)» names no group", text)
    if found:
        return f"«{found.group(1)}» ไม่ใช่ชื่อกลุ่ม"
    found = re.fullmatch(r"(\d+) (\w+), at least (\d+) needed", text)
    if found:
        return f"มี{name(found.group(2))} {found.group(1)} รายการ ต้องมีอย่างน้อย {found.group(3)}"
    return text


def _ticks(text: str, name: Names) -> str:
    """"action_plan ticked, km_plan not ticked" with the boxes' labels, in Thai."""
    def one(part: str) -> str:
        box, _, state = part.partition(" ")
        said = {"ticked": "ทำเครื่องหมายแล้ว", "not ticked": "ไม่ได้ทำเครื่องหมาย"}.get(state)
        return f"{name(box)} {said}" if said else part
    return ", ".join(one(p) for p in text.split(", "))


def _support(text: str, name: Names) -> str:
    """What a proposal's finding rests on: "process line 3 «...»; specific; support: ..."."""
    where, _, rest = text.partition("»; ")
    found = re.fullmatch(r"(\w+) line (\d+) «(.*)", where)
    if found:
        where = f"{name(found.group(1))} บรรทัดที่ {found.group(2)} «{found.group(3)}"
    detail, _, support = rest.partition("; support: ")
    detail = {"specific": "เฉพาะเจาะจง",
              "not specific (no number or frequency)": "ไม่เฉพาะเจาะจง (ไม่มีจำนวนหรือความถี่)"}.get(detail, detail)
    if support == "no supporting box ticked, no named document":
        support = "ไม่มีช่องหลักฐานที่ทำเครื่องหมาย ไม่มีเอกสารที่ระบุ"
    else:
        support = ", ".join(f"{name(p[:-7])} ทำเครื่องหมายแล้ว" if p.endswith(" ticked") and " " not in p[:-7]
                            else re.sub(r"^document «", "เอกสาร «", p) for p in support.split(", "))
    return f"{where}»; {detail}; หลักฐาน: {support}" if rest else text


_RULES: tuple[_Rule, ...] = (
    (re.compile(r"(\d+) of (\d+) work\(s\) count, from (\d+) distinct group\(s\): level (\d)(?: \(level (\d) needs (.*)\))?"),
     lambda m, n: (f"นับได้ {m[1]} จาก {m[2]} ผลงาน จาก {m[3]} กลุ่มที่ไม่ซ้ำกัน: ระดับ {m[4]}"
                   + (f" (ระดับ {m[5]} ต้องมี {_needs(m[6])})" if m[5] else ""))),
    (re.compile(r"work (\d+) «(.*)» does not count: (.*)"),
     lambda m, n: f"ผลงานที่ {m[1]} «{m[2]}» ไม่นับ: " + "; ".join(_problem(p, n) for p in m[3].split("; "))),
    (re.compile(r"work (\d+) «(.*)» counts, but its group «(.*)» is the same as work (\d+)'s"),
     lambda m, n: f"ผลงานที่ {m[1]} «{m[2]}» นับได้ แต่กลุ่ม «{m[3]}» ซ้ำกับผลงานที่ {m[4]}"),
    (re.compile(r"work (\d+) «(.*)» counts \(group «(.*)»\)"),
     lambda m, n: f"ผลงานที่ {m[1]} «{m[2]}» นับได้ (กลุ่ม «{m[3]}»)"),
    (re.compile(r"work (\d+) «(.*)»: (\d+) of (\d+) (\w+)"),
     lambda m, n: f"ผลงานที่ {m[1]} «{m[2]}»: มี{n(m[5])} {m[3]} จาก {m[4]} รายการที่ต้องมี"),
    (re.compile(r"committee judgments: carried out (.*); clear (.*): level (\d)"),
     lambda m, n: f"ผลการพิจารณาของคณะกรรมการ: ดำเนินการแล้วประเด็นที่ {_none(m[1])}; ชัดเจนประเด็นที่ {_none(m[2])}: ระดับ {m[3]}"),
    (re.compile(r"consideration (\d+) \((.*)\) not carried out"),
     lambda m, n: f"ประเด็นที่ {m[1]} ({n(m[2])}) ไม่ได้ดำเนินการ"),
    (re.compile(r"PROPOSAL, not a committee judgment: level (\d) proposed from the text "
                r"\((\d+) of (\d+) considerations addressed, (\d+) clear\); the committee's judgments decide"),
     lambda m, n: (f"ข้อเสนอจากข้อความ ไม่ใช่ผลการพิจารณาของคณะกรรมการ: เสนอระดับ {m[1]} "
                   f"(กล่าวถึง {m[2]} จาก {m[3]} ประเด็น ชัดเจน {m[4]} ประเด็น); คณะกรรมการเป็นผู้ตัดสิน")),
    (re.compile(r"consideration (\d+) \((.*?)\): addressed, (clear|not clear): (.*)"),
     lambda m, n: (f"ประเด็นที่ {m[1]} ({n(m[2])}): กล่าวถึง {'ชัดเจน' if m[3] == 'clear' else 'ไม่ชัดเจน'}: "
                   + _support(m[4], n))),
    (re.compile(r"consideration (\d+) \((.*?)\): not done: no passage addresses it"),
     lambda m, n: f"ประเด็นที่ {m[1]} ({n(m[2])}): ไม่ได้ดำเนินการ: ไม่พบข้อความที่กล่าวถึง"),
    (re.compile(r"consideration (\d+) \((.*?)\): not done: (\w+) line (\d+) «(.*)» says it was not"),
     lambda m, n: f"ประเด็นที่ {m[1]} ({n(m[2])}): ไม่ได้ดำเนินการ: {n(m[3])} บรรทัดที่ {m[4]} «{m[5]}» ระบุว่าไม่ได้ทำ"),
    (re.compile(r"supporting documents: (.*)"), lambda m, n: "เอกสารประกอบ: " + _ticks(m[1], n)),
    (re.compile(r"(.*) \((\w+)\) not ticked"), lambda m, n: f"ไม่ได้ทำเครื่องหมาย: {m[1]}"),
    (re.compile(r"no committee judgment for (.*) in (.*?): the level is only proposed from the text(.*)"),
     lambda m, n: f"ไม่มีผลการพิจารณาของคณะกรรมการสำหรับ {m[1]} ใน {m[2]}: ระดับเป็นเพียงข้อเสนอจากข้อความ{m[3]}"),
    (re.compile(r"the committee judgment for (.*) \((.*)\) was not used: (.*) is scored by its rubric"),
     lambda m, n: f"ไม่ได้ใช้ผลการพิจารณาของคณะกรรมการสำหรับ {m[1]} ({m[2]}): {m[3]} ประเมินตามเกณฑ์"),
)


def _none(numbers: str) -> str:
    return "ไม่มี" if numbers == "none" else numbers


def reason_text(reason: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``reason`` (as scoring wrote it, prefix removed) in ``lang``;
    ``names`` gives the Thai title of each consideration, field and box the
    reasons name (:func:`formkit.score.report_model.names_of`). A reason of a
    shape not known here is returned as it is."""
    if lang != "th":
        return reason
    table = names or {}
    for pattern, say in _RULES:
        found = pattern.fullmatch(reason)
        if found:
            return say(found, lambda key: table.get(key, key))
    return reason


def why_text(why: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Why a work did not count ("no title (ชื่อผลงาน); 2 photos, at least 4
    needed"), or why a counted work added no group, in ``lang``."""
    if lang != "th" or not why:
        return why
    same = re.fullmatch(r"its group «(.*)» is the same as work (\d+)'s", why)
    if same:
        return f"กลุ่ม «{same.group(1)}» ซ้ำกับผลงานที่ {same.group(2)} (ไม่เพิ่มจำนวนกลุ่ม)"
    table = names or {}
    return "; ".join(_problem(p, lambda key: table.get(key, key)) for p in why.split("; "))
