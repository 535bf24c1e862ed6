"""The season store (formkit/season/store): every test runs on SQLite and on
PostgreSQL (``store`` is parametrized over both; tests/run.sh starts a
throw-away PostgreSQL and exports its URL as FORMKIT_TEST_POSTGRES)."""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("sqlalchemy", reason="the season extra is missing: pip install -e '.[test]'")

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from formkit import api  # noqa: E402
from formkit.errors import FormkitError  # noqa: E402
from formkit.read.parse import ParseResult  # noqa: E402
from formkit.season.store import current, intake, people, review  # noqa: E402
from formkit.season.store.blobs import blob_path  # noqa: E402
from formkit.season.store.db import Store, open_store, upgrade  # noqa: E402
from formkit.season.store.models import Audit, Base, Blob, Correction, Job, Office, Parse, Receipt  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

SAMPLES = ROOT / "samples"
PG_HINT = ("PostgreSQL is missing: bash tests/run.sh installs it (apt-get install postgresql) and exports "
           "FORMKIT_TEST_POSTGRES for a throw-away cluster")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = os.environ.get("FORMKIT_TEST_POSTGRES")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(PG_HINT)
        pytest.skip(PG_HINT)
    return url


def _fresh_database(server: str) -> tuple[str, Any]:
    """A new, empty database on the test server: its URL and a dropper."""
    name = "season_" + secrets.token_hex(6)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, query = server.partition("?")
    url = base.rsplit("/", 1)[0] + "/" + name + (("?" + query) if query else "")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def database_url(request: pytest.FixtureRequest, backend: str) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None
        return
    url, drop = _fresh_database(request.getfixturevalue("postgres_server"))
    try:
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from database_url(request, request.param)


@pytest.fixture
def store(tmp_path: Path, db_url: str | None) -> Iterator[Store]:
    opened = open_store(tmp_path / "data", db_url)
    with opened.session() as session:
        session.add(Office(code="KK1", name="สพป.ขอนแก่น เขต 1", key=people.office_key("สพป.ขอนแก่น เขต 1")))
        session.add(Office(code="CM", name="สพม.เชียงใหม่", key=people.office_key("สพม.เชียงใหม่")))
        people.add_user(session, "admin", "admin-password", "admin", chair=True)
        people.add_user(session, "ann", "ann-password", "reviewer")
        people.add_user(session, "bob", "bob-password", "reviewer")
    yield opened
    opened.close()


def ingest(store: Store, *paths: Path, office: str | None = None) -> list[intake.Received]:
    with store.session() as session:
        chosen = session.scalar(select(Office).where(Office.code == office)) if office else None
        got = [intake.receive(store, session, p.read_bytes(), p.name, office=chosen) for p in paths]
    intake.run_jobs(store)
    return got


def test_migrations_from_the_first_give_the_models_schema(store: Store) -> None:
    """Every table of the models is made by the migrations, column for column."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade(store.engine)  # a second run on a migrated store changes nothing
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert diff == []
    assert version == "0005"


def test_a_file_received_twice_is_stored_once(store: Store) -> None:
    sample = SAMPLES / "esao-1-2" / "office-copy.docx"
    first, again = ingest(store, sample) + ingest(store, sample)
    assert not first.duplicate and again.duplicate and again.receipt_id == first.receipt_id
    stored = [p for p in store.files.rglob("*") if p.is_file()]
    assert stored == [blob_path(store.files, first.sha256)]
    assert stored[0].read_bytes() == sample.read_bytes()
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 1
        assert session.scalar(select(func.count()).select_from(Parse)) == 1
        assert session.scalar(select(func.count()).select_from(Blob)) == 1


def test_the_header_office_name_matches_the_office_list(store: Store) -> None:
    """office-copy.docx names "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1":
    the list's "สพป.ขอนแก่น เขต 1" once folded; over-dots.docx names none."""
    matched, unnamed = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx", SAMPLES / "esao-1-2" / "over-dots.docx")
    with store.session() as session:
        one, two = session.get(Receipt, matched.receipt_id), session.get(Receipt, unnamed.receipt_id)
        assert one is not None and two is not None
        office = session.get(Office, one.office_id)
        assert office is not None and office.code == "KK1"
        assert two.office_id is None and "names no office" in (two.match_note or "")


def test_the_stored_parse_is_the_library_parse(store: Store) -> None:
    sample = SAMPLES / "esao-3-1" / "five-works-vml.docx"
    (got,) = ingest(store, sample, office="CM")
    (expected,) = api.parse_files([sample])
    with store.session() as session:
        parse = review.current_parse(session, got.sha256)
        assert parse is not None
        assert (parse.form, parse.record, parse.warnings, parse.error) == (
            expected.form, expected.record, [w.as_dict() for w in expected.warnings], None)
        assert parse.where and "level" in parse.where  # where each field was found


def test_a_bad_file_is_stored_with_its_error(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"not a zip at all")
    (got,) = ingest(store, bad, office="KK1")
    with store.session() as session:
        parse = review.current_parse(session, got.sha256)
        assert parse is not None and parse.record is None and parse.error is not None
        assert parse.error["code"] == "not-docx"
        job = session.scalar(select(Job))
        assert job is not None and job.state == "failed" and job.error == "not-docx"


def test_a_restart_resumes_unfinished_jobs_and_parses_each_file_once(store: Store) -> None:
    files = [SAMPLES / "esao-1-2" / n for n in ("office-copy.docx", "over-dots.docx", "split-runs.docx")]
    with store.session() as session:
        for p in files:
            intake.receive(store, session, p.read_bytes(), p.name)
    claimed = intake.claim(store, 2)  # a worker took two jobs, then the process was killed
    assert len(claimed) == 2
    assert intake.run_jobs(store) == 1  # only the third was still queued
    assert intake.recover_jobs(store) == 2
    assert intake.run_jobs(store) == 2
    assert intake.run_jobs(store) == 0
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Parse)) == 3
        assert {j.state for j in session.scalars(select(Job))} == {"done"}


def _receipt(session: Any, received: intake.Received) -> Receipt:
    receipt = session.get(Receipt, received.receipt_id)
    assert receipt is not None
    return receipt


def test_a_correction_keeps_the_parsed_value_and_applies_in_the_export(store: Store) -> None:
    (got,) = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx")
    with store.session() as session:
        receipt = _receipt(session, got)
        parsed = review.current_parse(session, got.sha256)
        assert parsed is not None and parsed.record is not None
        before = parsed.record["level"]
        review.correct(session, receipt, "level", str(before % 5 + 1), "the tick was on level 2's line", None)
    with store.session() as session:
        (item,) = current.items(session, people.current_season(session))
        record = current.export_record(item)
        correction = session.scalar(select(Correction))
        parse = review.current_parse(session, got.sha256)
        assert parse is not None and parse.record is not None
        assert parse.record["level"] == before  # never overwritten
        assert correction is not None and (correction.parsed_value, correction.value) == (before, before % 5 + 1)
        assert record["record"]["level"] == before % 5 + 1 and record["corrections"] == ["level"]
        assert item.status == "corrected"
        assert session.scalar(select(Audit).where(Audit.action == "correct")) is not None


def test_a_correction_without_a_reason_or_on_no_field_is_refused(store: Store) -> None:
    (got,) = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx")
    with store.session() as session:
        receipt = _receipt(session, got)
        with pytest.raises(review.ReviewError, match="reason"):
            review.correct(session, receipt, "level", "2", " ", None)
        with pytest.raises(review.ReviewError, match="no field"):
            review.correct(session, receipt, "nonsense.path", "2", "why", None)
        with pytest.raises(review.ReviewError, match="whole number"):
            review.correct(session, receipt, "level", "two", "why", None)


def test_reparse_keeps_corrections_and_flags_the_ones_it_now_disagrees_with(store: Store) -> None:
    (got,) = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx")
    with store.session() as session:
        receipt = _receipt(session, got)
        review.correct(session, receipt, "level", "5", "reason one", None)
        review.correct(session, receipt, "process", "แก้ไขแล้ว", "reason two", None)
    with store.session() as session:  # the same parse again: nothing disputed
        assert intake.queue_reparse(session) == 1
    intake.run_jobs(store)
    with store.session() as session:
        assert not any(c.disputed for c in session.scalars(select(Correction)))
        old = review.current_parse(session, got.sha256)
        assert old is not None and old.record is not None
        newer = ParseResult(receipt.name, old.form, {**old.record, "level": 3 if old.record["level"] != 3 else 2})
        intake.save_parse(session, got.sha256, newer)  # what a newer formkit might read
    with store.session() as session:
        flags = {c.path: c.disputed for c in session.scalars(select(Correction))}
        assert flags == {"level": True, "process": False}
        assert session.scalar(select(func.count()).select_from(Parse)) == 3
        (item,) = current.items(session, people.current_season(session))
        assert item.envelope()["record"]["level"] == 5  # the correction still applies


def test_two_reviewers_differ_and_the_chairs_final_judgment_scores(store: Store) -> None:
    (got,) = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx")
    with store.session() as session:
        receipt = _receipt(session, got)
        ann, bob, chair = (session.scalar(select(people.User).where(people.User.name == n)) for n in ("ann", "bob", "admin"))
        assert ann and bob and chair
        a = review.judge(session, receipt, ann, [True] * 4, [True] * 4, "all clear")
        b = review.judge(session, receipt, bob, [True, True, False, True], [True, False, False, True])
        assert review.differences([a, b]) == {("done", 2), ("clear", 1), ("clear", 2)}
        with pytest.raises(review.ReviewError, match="chair"):
            review.mark_final(session, a, ann)
        with pytest.raises(review.ReviewError, match="4 done"):
            review.judge(session, receipt, ann, [True], [True])
        (proposal,) = current.items(session, people.current_season(session))
        assert proposal.score is not None and proposal.score["basis"] == "auto"  # a suggestion only
        review.mark_final(session, b, chair)
    with store.session() as session:
        (item,) = current.items(session, people.current_season(session))
        expected = api.score_results([item.envelope()], [{"file": item.key, "done": [True, True, False, True],
                                                          "clear": [True, False, False, True]}])[0]
        assert item.score is not None and item.status == "judged"
        assert (item.score["basis"], item.score["level"]) == ("judgments", expected.level)
        assert expected.level is not None


def test_offices_import_from_a_windows_874_csv_and_an_xlsx(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    csv_file = tmp_path / "offices.csv"
    csv_file.write_bytes("code,name,email\nKK1,สพป.ขอนแก่น เขต ๑,kk@example.org\nNEW,สพป.น่าน เขต 2,\n".encode("cp874"))
    with store.session() as session:
        assert people.import_offices(session, csv_file) == (1, 1)
        office = session.scalar(select(Office).where(Office.code == "NEW"))
        assert office is not None and office.name == "สพป.น่าน เขต 2" and office.email is None
    book = Workbook()
    book.active.append(["code", "name"])
    book.active.append(["X9", "สพม.น่าน"])
    book.save(tmp_path / "offices.xlsx")
    with store.session() as session:
        assert people.import_offices(session, tmp_path / "offices.xlsx") == (1, 0)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nA1,\n", "utf-8")
    with store.session() as session, pytest.raises(FormkitError, match="row 2"):
        people.import_offices(session, bad)


def test_passwords_are_hashed_and_checked(store: Store) -> None:
    with store.session() as session:
        user = people.authenticate(session, "ann", "ann-password")
        assert user is not None and user.password_hash.startswith("scrypt$") and "ann-password" not in user.password_hash
        assert people.authenticate(session, "ann", "wrong-password") is None
        assert people.authenticate(session, "nobody", "ann-password") is None


@pytest.mark.parametrize("sha", ["../../secret", "a" * 63, "A" * 64, "0" * 64 + "/x", ""])
def test_a_blob_is_named_by_its_hash_only(tmp_path: Path, sha: str) -> None:
    with pytest.raises(ValueError):
        blob_path(tmp_path, sha)


def test_a_file_parsed_twice_in_one_group_has_one_current_parse(store: Store) -> None:
    (got,) = ingest(store, SAMPLES / "esao-1-2" / "office-copy.docx")
    with store.session() as session:
        assert intake.queue_reparse(session, [got.sha256, got.sha256]) == 2
    assert intake.run_jobs(store) == 2
    with store.session() as session:
        current_parses = session.scalars(select(Parse).where(Parse.sha256 == got.sha256, Parse.current.is_(True)))
        assert len(list(current_parses)) == 1
        assert session.scalar(select(func.count()).select_from(Parse)) == 3


def test_a_group_received_at_once_keeps_each_content_once_and_refuses_only_the_large_file(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """receive_many: one blob and one receipt per content (the copy in the
    same group is a retry of the first), the file over the limit is its
    error with nothing of it written, one parse queued per new content."""
    sample = (SAMPLES / "esao-1-2" / "office-copy.docx").read_bytes()
    other = (SAMPLES / "esao-1-2" / "over-dots.docx").read_bytes()
    monkeypatch.setattr(intake, "MAX_FILE_BYTES", max(len(sample), len(other)))
    with store.session() as session:
        kk1 = session.scalar(select(Office).where(Office.code == "KK1"))
        first, big, copy = intake.receive_many(store, session, [("a.docx", sample), ("big.docx", sample + b"x" * len(sample)),
                                                                ("a-again.docx", sample)])
        (later,) = intake.receive_many(store, session, [("b.docx", other)], office=kk1)
    assert isinstance(first, intake.Received) and isinstance(copy, intake.Received) and isinstance(later, intake.Received)
    assert isinstance(big, FormkitError) and big.code == "too-large"
    assert not first.duplicate and copy.duplicate and copy.receipt_id == first.receipt_id and copy.name == "a.docx"
    assert sorted(p.name for p in store.files.rglob("*") if p.is_file()) == sorted([first.sha256, later.sha256])
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 2
        assert sorted(session.scalars(select(Job.sha256))) == sorted([first.sha256, later.sha256])
        receipt = session.get(Receipt, later.receipt_id)
        assert receipt is not None and receipt.office_id is not None and receipt.match_note == "office given"
        audits = list(session.scalars(select(Audit).where(Audit.action == "receive")))
        assert sorted(a.target for a in audits) == sorted(f"receipt:{r.receipt_id}" for r in (first, later))


def test_ingest_with_a_worker_pool_stores_what_parse_reads_once_per_file(store: Store, tmp_path: Path) -> None:
    """ingest_paths with two workers (the pool path: enough files): each
    file's stored parse is the library's (record, warnings, where found),
    parsed once, its job done, matched by the header's office name."""
    from formkit.season.store.batch import ingest_paths
    from formkit.season.store.jobs import MIN_PER_WORKER

    folder = tmp_path / "returned"
    folder.mkdir()
    count = 2 * MIN_PER_WORKER + 3
    for n in range(count):
        record = {"level": n % 5 + 1, "process": f"โครงการที่ {n}"} | ({"office": "สพป.ขอนแก่น เขต 1"} if n % 2 else {})
        (folder / f"office-{n:02}.docx").write_bytes(bytes(api.fill_bytes("esao-1-2", record)))
    (folder / "zz-copy.docx").write_bytes((folder / "office-00.docx").read_bytes())
    from tests.docxbuild import make_docx

    (folder / "zz-letter.docx").write_bytes(make_docx("<w:p><w:r><w:t>A letter, not a form</w:t></w:r></w:p>"))
    found = ingest_paths(store, [folder], workers=2)
    assert [o.duplicate for o in found] == [False] * count + [True, False]
    assert [o.office for o in found[:count]] == [None if n % 2 == 0 else "KK1" for n in range(count)]
    expected = {Path(r.file).name: r for r in api.parse_files([folder])}
    with store.session() as session:
        assert {j.state for j in session.scalars(select(Job))} == {"done", "failed"}
        assert session.scalar(select(func.count()).select_from(Job)) == count + 1
        flags = {p.sha256: (p.failed, p.warned) for p in session.scalars(select(Parse))}
        assert sorted(flags.values()).count((True, False)) == 1  # the letter: the tracker's "failed"
        for outcome in [*found[:count], found[-1]]:
            receipt = _receipt(session, intake.Received(outcome.receipt_id or 0, "", "", False))
            (parse,) = session.scalars(select(Parse).where(Parse.sha256 == receipt.sha256))
            want = expected[outcome.name]
            assert (parse.form, parse.record, parse.warnings, parse.where or {}) == (
                want.form, want.record, [w.as_dict() for w in want.warnings], want.places())
            assert (parse.failed, parse.warned) == (want.error is not None, bool(want.warnings))
        assert session.scalar(select(func.count()).select_from(Audit).where(Audit.action == "parse")) == count + 1
