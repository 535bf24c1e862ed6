"""The README documents every stable error and warning code."""
from formkit.errors import ERROR_CODES
from formkit.warnings import WARNING_CODES
from tests.conftest import ROOT


def test_readme_lists_every_code() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [c for c in ERROR_CODES if f"`{c}`" not in readme]
    missing += [c for c in WARNING_CODES if f"`{c}`" not in readme and f"`-{c.rsplit('-', 1)[-1]}`" not in readme]
    assert not missing, f"README does not document: {missing}"
