"""The committee report's words: Thai first, English on request.

Labels are kept in one table per language (:data:`WORDS`); dates are
written the Thai way, day, month name and Buddhist Era year (พ.ศ. = C.E. +
543), as Thai official documents date them; the reasons that
:mod:`formkit.score.rubric` and :mod:`formkit.score.scoring` write in English
are told in Thai from their values (:mod:`formkit.score.reasons`). A reason
known only as its sentence (a score file without details) is shown as it
was written, so it is never lost, only left in English.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from formkit.score.reasons import Reason

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

def reason_text(reason: Reason, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``reason`` told in ``lang`` (:meth:`formkit.score.reasons.Reason.text`);
    ``names`` gives the Thai title of each consideration, field and box the
    reasons name (:func:`formkit.score.report_model.names_of`). A reason read
    from a score file without details is shown as it was written."""
    return reason.text(lang, names)
