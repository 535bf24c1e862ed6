"""Flat ODF text documents (.fodt): taken for conversion like an .odt, with
the same link rules (formkit/office/odf_flat.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from formkit.errors import FormkitError
from formkit.office.convert import check_input
from formkit.office.odf_flat import copy_flat, is_flat_odt
from formkit.office.unlink import strip_odf_part
from formkit.read.parse import legacy_format

_FLAT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3" '
    'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>'
    '<text:p>ตอบ <text:text-input text:description="">ระบบล่ม</text:text-input> '
    '<text:a xlink:href="https://example.org/">ลิงก์</text:a></text:p>'
    '<draw:frame><draw:image xlink:href="http://attacker.invalid/x.png"/></draw:frame>'
    '<draw:frame><draw:image xlink:href="file:///etc/passwd"/></draw:frame>'
    "</office:text></office:body></office:document>")


def test_a_flat_odt_is_known_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "return.xml"  # the name says nothing
    path.write_text(_FLAT, "utf-8")
    assert is_flat_odt(_FLAT.encode()) and legacy_format(path) == "fodt"
    assert check_input(path) is None
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><root>office:document </root>', "utf-8")
    assert legacy_format(other) is None and check_input(other) is not None


def test_the_converted_copy_has_no_link_out_and_plain_fields(tmp_path: Path) -> None:
    dest = tmp_path / "copy.fodt"
    copy_flat(_FLAT.encode(), dest, "return.fodt", strip_odf_part)
    out = dest.read_text("utf-8")
    assert "attacker.invalid" not in out and "/etc/passwd" not in out
    assert "https://example.org/" in out  # a link the reader clicks stays
    assert "text-input" not in out and "ระบบล่ม" in out


def test_a_flat_odt_with_a_dtd_is_refused(tmp_path: Path) -> None:
    evil = _FLAT.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                         '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
    with pytest.raises(FormkitError) as err:
        copy_flat(evil.encode(), tmp_path / "copy.fodt", "evil.fodt", strip_odf_part)
    assert err.value.code == "unsafe-xml" and not (tmp_path / "copy.fodt").exists()
