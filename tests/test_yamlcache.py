"""The YAML cache (formkit.yamlcache): what a definition loads to is read
back from JSON, exactly, and the cache never changes what is loaded."""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from formkit import yamlcache
from formkit.yamlcache import YamlDataError, load_yaml

ROOT = Path(__file__).resolve().parent.parent
TEXT = "id: demo\nfields:\n  level: {kind: level, header: ระดับ}\n  items: [a, 'b', 3, true, null, 1.5]\n"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FORMKIT_CACHE_DIR", str(tmp_path))
    return tmp_path / "yaml"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> object:
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(yamlcache, "parse_yaml", refuse)


def test_an_entry_gives_back_what_the_yaml_loads_to(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_yaml(TEXT)
    assert first == yaml.safe_load(TEXT)
    assert len(_entries(cache)) == 1
    _no_yaml(monkeypatch)
    assert load_yaml(TEXT) == first


def test_an_edited_text_is_read_again(cache: Path) -> None:
    load_yaml(TEXT)
    assert load_yaml(TEXT.replace("demo", "other"))["id"] == "other"
    assert len(_entries(cache)) == 2


@pytest.mark.parametrize(("text", "value"), [
    ("when: 2024-01-31\n", {"when": datetime.date(2024, 1, 31)}),
    ("1: one\n", {1: "one"}),
])
def test_what_json_would_change_is_not_cached(cache: Path, text: str, value: object) -> None:
    assert load_yaml(text) == value
    assert load_yaml(text) == value
    assert _entries(cache) == []


def test_a_damaged_entry_is_replaced(cache: Path) -> None:
    load_yaml(TEXT)
    [entry] = _entries(cache)
    entry.write_text('{"id": "trunc', "utf-8")
    assert load_yaml(TEXT)["id"] == "demo"
    assert json.loads(entry.read_text("utf-8"))["data"]["id"] == "demo"


def test_an_entry_of_another_text_is_never_used(cache: Path) -> None:
    """Entries are named by length and CRC-32: one that names the same but
    holds another text (a collision, or a hand-edited entry) is a miss."""
    load_yaml(TEXT)
    [entry] = _entries(cache)
    forged = json.loads(entry.read_text("utf-8"))
    forged["text"], forged["data"] = TEXT.replace("demo", "dem0"), {"id": "forged"}
    entry.write_text(json.dumps(forged), "utf-8")
    assert load_yaml(TEXT)["id"] == "demo"
    assert json.loads(entry.read_text("utf-8"))["data"]["id"] == "demo"


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FORMKIT_CACHE_DIR", str(blocker))
    assert load_yaml(TEXT)["id"] == "demo"
    assert load_yaml(TEXT)["id"] == "demo"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert yamlcache.cache_dir() is None
    calls: list[str] = []
    real = yamlcache.parse_yaml
    monkeypatch.setattr(yamlcache, "parse_yaml", lambda text: calls.append(text) or real(text))
    load_yaml(TEXT)
    load_yaml(TEXT)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


def test_invalid_yaml_says_where(cache: Path) -> None:
    with pytest.raises(YamlDataError, match="line 2"):
        load_yaml("a: [1, 2\nb: c\n")
    assert _entries(cache) == []


def test_old_entries_go_first(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcache, "_KEEP", 3)
    for n in range(5):
        load_yaml(f"n: {n}\n")
    kept = {json.loads(p.read_text("utf-8"))["data"]["n"] for p in _entries(cache)}
    assert len(kept) == 3 and 4 in kept


def test_a_bad_definition_still_names_its_file(tmp_path: Path, cache: Path) -> None:
    from formkit.errors import FormkitError
    from formkit.forms import load_path

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "form.yaml").write_text("id: broken\nfields: [unclosed\n", "utf-8")
    with pytest.raises(FormkitError) as caught:
        load_path(folder)
    assert caught.value.code == "bad-form-definition" and "form.yaml" in caught.value.message


def test_a_warm_parse_never_imports_pyyaml(tmp_path: Path) -> None:
    """The shipped definitions and the glyph table come from the cache once
    it holds them: a one-file parse of a form without pictures imports
    neither PyYAML nor hashlib (OpenSSL's set-up)."""
    sample = ROOT / "samples" / "esao-1-2" / "over-dots.docx"
    script = ("import sys, json\nfrom formkit.read.parse import parse_file\n"
              f"r = parse_file({str(sample)!r})\nprint(json.dumps([r.form, 'yaml' in sys.modules or 'hashlib' in sys.modules]))")
    env = {**__import__("os").environ, "FORMKIT_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=300) for _ in range(2)]
    assert [p.returncode for p in runs] == [0, 0], runs[0].stderr
    assert [json.loads(p.stdout.splitlines()[-1]) for p in runs] == [["esao-1-2", True], ["esao-1-2", False]]
