"""The install is the tested set: every dependency pinned in requirements/constraints.txt, which `make`
and the Dockerfile install with `pip -c`, and what trafilatura imports is declared (a fresh install once
lacked lxml_html_clean, and every .html upload was a 500)."""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line!r}"
            pins[_name(name)] = version
    return pins


def test_every_declared_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    missing = sorted({_name(d) for d in declared} - set(_pins()))
    assert not missing, f"add to requirements/constraints.txt (bash scripts/lock.sh): {missing}"


def test_the_installed_versions_are_the_pinned_ones():
    wrong = []
    for name, version in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # platform-specific extras of another machine
        if installed != version:
            wrong.append(f"{name} {installed} (pinned {version})")
    assert not wrong, f"run `make install` (the venv drifted from the constraints): {wrong}"


def test_make_and_docker_install_with_the_constraints():
    assert "-c requirements/constraints.txt" in (ROOT / "Makefile").read_text()
    assert "-c requirements/constraints.txt" in (ROOT / "Dockerfile").read_text()


def test_html_extraction_imports_what_it_needs():
    import lxml.html.clean  # noqa: F401  (lxml_html_clean)
    import trafilatura

    html = "<html><body><article><p>The mayor said “the bridge opens in May,” on Tuesday.</p></article></body></html>"
    assert "bridge opens in May" in (trafilatura.extract(html) or "")
