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


def test_the_container_serves_a_health_check_and_makes_its_first_admin():
    """Read, not run (no Docker engine here): the compose file and the Dockerfile agree with the app."""
    import yaml   # schemathesis (a test dependency) installs PyYAML

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app = compose["services"]["app"]
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert {"CLAIMTRACKER_ADMIN_NAME", "CLAIMTRACKER_ADMIN_PASSWORD_FILE"} <= set(app["environment"])
    assert "pgdata" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = dockerfile.split("\nFROM ")[1:]
    assert len(stages) == 2 and stages[0].startswith("node:") and " AS assets" in stages[0].splitlines()[0]
    final = stages[-1]
    assert "npm" not in final and "nodejs" not in final   # htmx comes from the asset stage
    assert "COPY --from=assets" in final and "/healthz" in final
    assert "claimtracker db upgrade && claimtracker user first-admin" in final
    assert "--factory app.main:serve_app" in final     # the server's factory (gc.freeze after start)
    assert "scripts/vendor_assets.sh" in dockerfile and "scripts/vendor_assets.sh" in (ROOT / "Makefile").read_text()
