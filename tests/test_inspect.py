"""``formkit inspect``: where each value was found, as the person checking a
document reads it (formkit/read/inspect.py; the spans come from formkit.locate)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from formkit.cli import main
from formkit.read.inspect import report
from formkit.read.parse import parse_file
from tests.conftest import ROOT

S31 = ROOT / "samples" / "esao-3-1"


@pytest.mark.parametrize("sample", ["three-works.docx", "five-works-vml.docx"])
def test_each_works_photo_span_ends_where_the_work_ends(sample: str) -> None:
    result = parse_file(S31 / sample)
    assert result.located is not None and result.located.stream is not None
    paras = result.located.stream.paras
    index = {para.where: para.index for para in paras}
    blocks = result.located.where["works"].blocks
    assert len(blocks) >= 3
    shown = CliRunner().invoke(main, ["inspect", str(S31 / sample)]).stdout
    assert shown == report(result) + "\n"
    for n, (start, end, fields) in enumerate(blocks):
        span = fields["photos"].where
        first, last = (index[part] for part in (span.split(" .. ") * 2)[:2])
        work = f"{paras[start].where} .. {paras[end - 1].where}"
        assert start < first <= last < end, f"work {n}: photos at {span}, the work at {work}"
        assert f"    [{n}].photos: {span}\n" in shown
