"""What one request of each page type adds to the server's memory, on a store bench.scale built.
Not a test.

    python -m bench.scale_memory --out DIR --claims N

Each page is asked once in a fresh process (the app on the store, through Starlette's TestClient,
after a small claim page has compiled the templates): its peak resident memory over the process's
before the request (VmHWM after `/proc/self/clear_refs` reset it) and what stays resident after.
The server's peak under load is about the process's own plus max_concurrent_requests times the
dearest page in flight (README, "Scale benchmark").
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench.scale import app_targets, lookups
from bench.scale_gen import Generated

_CHILD = r'''
import re, sys
from pathlib import Path
from fastapi.testclient import TestClient
from app.main import create_app
from app.settings import Settings

def mib(field):
    return int(re.search(field + r":\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024

url, warm, path, hx = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
app = create_app(Settings(database_url=url, public_read=True))
with TestClient(app) as c:
    c.get(warm)
    before = mib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    r = c.get(path, headers={"HX-Request": "true"} if hx else {})
    print(r.status_code, len(r.content), before, mib("VmHWM") - before, mib("VmRSS") - before)
'''


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="the --out of a bench.scale run")
    p.add_argument("--claims", type=int, required=True)
    args = p.parse_args(argv)
    db = args.out / f"scale-{args.claims}.db"
    gen = Generated(**json.loads((args.out / f"scale-{args.claims}.json").read_text())["generated"])
    ids = lookups(db, gen)
    print(f"{'page':52} {'status':>6} {'KB':>6} {'process MiB':>11} {'peak +MiB':>9} {'kept +MiB':>9}")
    for name, path, headers in app_targets(gen, ids):
        out = subprocess.run([sys.executable, "-c", _CHILD, f"sqlite:///{db}", f"/claims/{ids['medium'][0]}",
                              path, "1" if headers else "0"], capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"{name}: {out.stderr[-500:]}")
        status, size, before, peak, kept = out.stdout.split()
        print(f"{name[:52]:52} {status:>6} {int(size) // 1024:6d} {float(before):11.0f} {float(peak):9.0f} "
              f"{float(kept):9.0f}")


if __name__ == "__main__":
    main()
