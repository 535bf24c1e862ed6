"""learn then check --roundtrip 5 on the corpus of blank forms from other
hands (tests/otherforms.py: 25 forms in English, Chinese, Slovak and Thai,
.docx, .dotx and a .doc saved by LibreOffice, made from a seed)."""
from __future__ import annotations

from pathlib import Path

from formkit.forms import load_path
from tests.otherforms import COUNT, build_corpus, measure


def test_learn_and_check_pass_on_most_forms_from_other_hands(soffice: str, tmp_path: Path) -> None:
    files = build_corpus(tmp_path / "forms", soffice)
    assert len(files) == COUNT and {f.suffix for f in files} == {".docx", ".dotx", ".doc"}
    results = measure(files, tmp_path / "learned")  # any exception but FormkitError fails the test here
    failed = [f"{o.path.name}: {o.detail[:200]}" for o in results if not o.ok]
    assert sum(o.ok for o in results) >= 0.8 * COUNT, failed
    for o in results:
        assert o.loads, o.detail  # a definition learn wrote always loads; a refused one left nothing behind
        if o.learned:
            form = load_path(tmp_path / "learned" / o.path.stem)
            assert form.fields and (form.folder / "original.docx").is_file()
        else:
            assert not (tmp_path / "learned" / o.path.stem / "form.yaml").exists()
