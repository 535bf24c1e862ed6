"""report.html: the committee's page, one row per office.

Everything shown is rendered here, so the page reads the same with
scripting off; the page's script only sorts, filters and shows the summary
and charts of the chosen form (each is written here, one per form). Every
value from a file is escaped (text and attribute values, SVG included);
the page's Content-Security-Policy lets only its own script run (by hash),
so markup that would slip through could still run nothing. Links to the
files are relative to the report's folder and percent-encoded, so they work
from a file:// URL and can never name a scheme (``javascript:``) or a host.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import os
import re
import urllib.parse
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from formkit.score.report_model import LEVELS, Office, Row, Tally, file_name, forms_of, is_work_reason, tally
from formkit.score.report_words import date_text, reason_text, words

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_e = html.escape


def render_html(offices: Sequence[Office], title: str, lang: str, base: Path | None, when: dt.datetime) -> str:
    """The whole page: the template with every placeholder filled in one pass
    (so text from a file can never be taken for a placeholder). ``base`` is
    the report's folder, which file links are relative to (None: no links)."""
    template = resources.files("formkit").joinpath("data/report.html").read_text("utf-8")
    w = words(lang)
    rows = [r for o in offices for r in o.rows]
    forms = forms_of(rows)
    page = _Page(lang, base, forms)
    parts = {
        "lang": lang,
        "csp": _policy(template),
        "title": _e(title),
        "made": _e(f"{w['made']} {date_text(when, lang)}"),
        "summaries": "\n".join(_summary(offices, f, lang) for f in ["", *forms]),
        "form_radios": "".join(_radio(f, w) for f in ["", *forms]),
        "charts": "\n".join(chart_svg(f, tally(offices, f), lang) for f in forms) or f"<p>{_e(w['no_scores'])}</p>",
        "head": _head(forms, w),
        "rows": "\n".join(page.office_row(o) for o in offices),
        "count": f"{len(offices)} / {len(offices)} {_e(w['rows'])}",
        "failed": _failed_list(rows, w),
        **{f"w_{key}": _e(value) for key, value in w.items()},
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def _policy(template: str) -> str:
    """Nothing fetched, no plugin, no form target; inline CSS; the one inline
    script allowed by its SHA-256 (CSP Level 2 hash source), so neither an
    injected script nor an event-handler attribute could run."""
    found = _SCRIPT.search(template)
    script = found.group(1) if found else ""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
            "base-uri 'none'; form-action 'none'")


def file_href(path: str, base: Path | None) -> str | None:
    """A link to ``path`` relative to ``base``, percent-encoded (":" too, so
    the link never starts with a scheme); None when there is no such file
    here or no relative way to it."""
    if base is None or not path or not os.path.isfile(path):
        return None
    try:
        relative = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive (Windows)
        return None
    return urllib.parse.quote(relative.replace(os.sep, "/"), safe="/")


# -- summary, filter, charts -----------------------------------------------------------

def summary_text(counts: Tally, lang: str) -> str:
    """The counts said in words: proposals apart from scored files."""
    w = words(lang)
    parts = [f"{w['offices']} {counts.offices}", f"{w['files']} {counts.files}",
             f"{w['n_rubric']} {counts.bases['rubric']}", f"{w['n_judgments']} {counts.bases['judgments']}",
             f"{w['n_auto']} {counts.bases['auto']}", f"{w['n_failed']} {counts.failed}",
             f"{w['n_differ']} {counts.differ}"]
    if lang == "en":
        parts[:2] = [f"{counts.offices} {w['offices']}", f"{counts.files} {w['files']}"]
    return " · ".join(parts)


def _summary(offices: Sequence[Office], form: str, lang: str) -> str:
    hidden = " hidden" if form else ""
    return (f'<p class="summary" data-form="{_e(form)}"{hidden}>'
            f"{_e(summary_text(tally(offices, form), lang))}</p>")


def _radio(form: str, w: dict[str, str]) -> str:
    checked = " checked" if not form else ""
    return (f'<label><input type="radio" name="form" value="{_e(form)}"{checked}> '
            f"{_e(form or w['all_forms'])}</label>")


def chart_svg(form: str, counts: Tally, lang: str) -> str:
    """Bars per level: the scored level (solid: rubric or committee
    judgment), the automatic proposals (outlined, dashed: not a score; drawn
    only when there are some) and the self-assessed level (light), so a
    proposal can never be read as a score."""
    w = words(lang)
    series = [(counts.final, "final", w["final"])]
    if counts.proposed:
        series.append((counts.proposed, "proposed", w["proposed"] + " " + w["not_counted"]))
    series.append((counts.ticked, "ticked", w["ticked"]))
    top = max([1, *(n for c, _, _ in series for n in c.values())])
    width, base, span, bar = 420, 78 + 150, 130, 64 // len(series)
    parts = [f'<line class="axis" x1="20" y1="{base}" x2="{width - 6}" y2="{base}"/>']
    for n, level in enumerate(LEVELS):
        x = 30 + n * 78
        for k, (values, cls, label) in enumerate(series):
            h, left = round(span * values[level] / top), x + k * (bar + 2)
            parts.append(f'<rect class="{cls}" x="{left}" y="{base - h}" width="{bar}" height="{h}">'
                         f"<title>{_e(label)}, {_e(w['level'])} {level}: {values[level]}</title></rect>")
            parts.append(f'<text x="{left + bar // 2}" y="{base - h - 4}" text-anchor="middle">{values[level]}</text>')
        parts.append(f'<text x="{x + 32}" y="{base + 20}" text-anchor="middle">{_e(w["level"])} {level}</text>')
    legend = "".join(f'<rect class="{cls}" x="10" y="{6 + i * 20}" width="12" height="12"/>'
                     f'<text x="28" y="{17 + i * 20}" class="legend">{_e(label)}</text>'
                     for i, (_, cls, label) in enumerate(series))
    said = [f"{w['files']} {counts.files}"] + [f"{w[key]} {n}" for key, n in (
        ("n_auto", counts.bases["auto"]), ("n_failed", counts.failed)) if n]
    return (f'<figure class="chart" data-form="{_e(form)}"><figcaption>{_e(form)} · {_e(" · ".join(said))}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {base + 30}" role="img" '
            f'aria-label="{_e(w["charts"])} {_e(form)}">{legend}{"".join(parts)}</svg></figure>')


# -- the table --------------------------------------------------------------------

def _head(forms: Sequence[str], w: dict[str, str]) -> str:
    cells = [f'<th data-key="office" data-type="text">{_e(w["office"])}</th>']
    cells += [f'<th data-key="{_e(f)}" data-form="{_e(f)}" data-type="num">{_e(w["form"])} {_e(f)}</th>' for f in forms]
    cells.append(f'<th data-key="details" data-type="none" class="details">{_e(w["details"])}</th>')
    return "<tr>" + "".join(cells) + "</tr>"


class _Page:
    """What every row needs: the language, the folder links start from, the forms."""

    def __init__(self, lang: str, base: Path | None, forms: Sequence[str]) -> None:
        self.lang, self.base, self.forms, self.w = lang, base, forms, words(lang)

    def office_row(self, office: Office) -> str:
        differs = " ".join(dict.fromkeys(r.form for r in office.rows if r.status == "differs"))
        cells = [self._office_cell(office)]
        for form in self.forms:
            mine = office.of(form)
            final = [r.level for r in mine if r.kind == "final"]
            sort = str(final[0]) if final else ""
            content = "".join(self._entry(r) for r in mine) or '<span class="none">–</span>'
            cells.append(f'<td data-key="{_e(form)}" data-form="{_e(form)}" data-sort="{sort}" '
                         f'data-label="{_e(self.w["form"])} {_e(form)}" class="entry-cell">{content}</td>')
        details = "".join(self._detail(r) for r in office.rows)
        cells.append(f'<td data-key="details" class="details" data-label="{_e(self.w["details"])}">{details}</td>')
        return (f'<tr data-forms="{_e(" ".join(office.forms()))}" data-differs="{_e(differs)}">'
                + "".join(cells) + "</tr>")

    def _office_cell(self, office: Office) -> str:
        note = "" if office.named else f'<small class="note">{_e(self.w["no_office"])}</small>'
        return (f'<th scope="row" data-key="office" data-sort="{_e(office.name)}" class="office">'
                f'<span class="name">{_e(office.name)}</span>{note}</th>')

    def _link(self, row: Row) -> str:
        href = file_href(row.file, self.base)
        name = _e(file_name(row.file))
        if href is None:
            return f'<span class="file" title="{_e(row.file)}">{name}</span>'
        return f'<a class="file" href="{_e(href)}" title="{_e(row.file)}">{name}</a>'

    def _entry(self, row: Row) -> str:
        """One file's level in its form's cell: the level and what kind it
        is, the self-assessed level and the status (a proposal never "differs")."""
        w = self.w
        if row.kind == "failed":
            return (f'<div class="entry failed" data-level="" data-kind="failed">'
                    f'<span class="lv">{_e(w["failed"])}</span>{self._link(row)}</div>')
        if row.kind == "proposal":
            level = f'<span class="lv">{_e(w["proposal"])} {_e(w["level"])} {row.level}</span>'
        else:
            level = f'<span class="lv">{_e(w["level"])} {row.level}</span>'
        basis = f'<span class="kind">{_e(w[row.basis])}</span>'
        ticked = "–" if row.self_assessed is None else str(row.self_assessed)
        return (f'<div class="entry {row.kind}" data-level="{row.level or ""}" data-kind="{row.kind}">'
                f"{level}{basis}<span class=\"self\">{_e(w['self'])} {ticked}</span>"
                f'<span class="status {row.status}">{_e(w[row.status])}</span>{self._link(row)}</div>')

    def _detail(self, row: Row) -> str:
        w, lang = self.w, self.lang
        head = f'<h3>{_e(row.form or w["failed"])} · {self._link(row)}</h3>'
        if row.kind == "failed":
            body = f'<p class="error">{_e(row.error)}</p>'
        else:
            reasons = [r for r in row.reasons if not (row.works and is_work_reason(r))]
            body = _items([reason_text(r, lang, row.names) for r in reasons], "reasons")
            body += _works(row, w, lang)
        if row.missing:
            body += f'<p class="label">{_e(w["missing"])}</p>' + _items([reason_text(m, lang, row.names) for m in row.missing])
        if row.warnings:
            body += f'<p class="label">{_e(w["warnings"])}</p>' + _items([x.text() for x in row.warnings], "warn")
        return f'<section class="detail" data-form="{_e(row.form)}">{head}{body}</section>'


def _items(items: Sequence[str], cls: str = "") -> str:
    if not items:
        return ""
    mark = f' class="{cls}"' if cls else ""
    return f"<ul{mark}>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _works(row: Row, w: dict[str, str], lang: str) -> str:
    """The works table: number, title, group, counted or not and why, photos."""
    works = row.works
    if not works:
        return ""
    head = "".join(f"<th>{_e(w[k])}</th>" for k in ("work_no", "work_title", "group", "counted", "photos"))
    body = "".join(
        f'<tr class="{"counted" if x.counted else "not-counted"}"><td>{x.number}</td><td>{_e(x.title)}</td>'
        f"<td>{_e(x.group)}</td><td>{_e(w['yes'] if x.counted else w['no'])}"
        + (f"<br><small>{_e(x.why(lang, row.names))}</small>" if x.why(lang, row.names) else "")
        + f"</td><td>{'–' if x.photos is None else x.photos}</td></tr>"
        for x in works)
    return (f'<table class="works"><caption>{_e(w["works"])}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _failed_list(rows: Sequence[Row], w: dict[str, str]) -> str:
    failed = [r for r in rows if r.kind == "failed"]
    if not failed:
        return f'<p id="failed">{_e(w["none_failed"])}</p>'
    items = "".join(f'<tr data-form="{_e(r.form)}"><td class="file">{_e(r.file)}</td>'
                    f'<td class="error">{_e(r.error)}</td></tr>' for r in failed)
    return (f'<table id="failed"><thead><tr><th>{_e(w["file"])}</th><th>{_e(w["error"])}</th></tr></thead>'
            f"<tbody>{items}</tbody></table>")
