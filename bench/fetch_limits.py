"""What each hostile server costs a fetch under the default limits (prints a table).

Usage: python bench/fetch_limits.py [--only NAME] [--address-space MB]

Every scenario of tests/hostile_site.py (gzip bombs, dripped headers and bodies, a 10,000-item
feed, a redirect loop, lying lengths, broken feeds) is fetched by a child process with the
default limits (30 s deadline, 5 MB cap); the feed is ingested as `diplobot ingest` would.
Each row gives the outcome, the child's wall time (Python start-up included), the time of
the fetch alone, and the child's own peak RSS (VmHWM). The budget is 35 s and 300 MB a
row; the last column says whether it held, and the exit status is 1 when one did not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_site import FEED_ITEMS, GiB, HostileSite, fetch_in_child  # noqa: E402 (after sys.path)

MAX_SECONDS, MAX_MB = 35.0, 300.0
# name, path, mode, what the scenario is
SCENARIOS = [
    ("stacked gzip", "/stacked-gzip", "fetch", "gzip, gzip: 4.9 KB -> 2 GiB"),
    ("gzip bomb", "/gzip-bomb", "fetch", "gzip: 1 MB -> 1 GiB"),
    ("slow headers", "/slow-headers", "fetch", "status line and headers, 1 byte/s"),
    ("slow body", "/slow-body", "fetch", "body, 1 byte/s"),
    ("10,000-item feed", "/feed-10000.xml", "ingest", "pages behind every item"),
    ("redirect loop", "/loop", "fetch", "302 to itself"),
    ("length > sent", "/length-more", "fetch", "Content-Length 100000, 30 bytes, close"),
    ("length < sent", "/length-less", "fetch", "Content-Length 20, 200 bytes"),
    ("truncated feed", "/truncated.xml", "fetch", "cut in the channel's head"),
    ("non-XML feed", "/not-xml.rss", "fetch", "PHP error in an <rss> envelope"),
]
HEADER = f"{'scenario':<18}{'outcome':<22}{'wall s':>8}{'fetch s':>9}{'peak MB':>9}  {'ok':<4}what"


def row(site: HostileSite, name: str, path: str, mode: str, what: str, address_space: int) -> tuple[str, bool]:
    before = len(site.item_requests())
    run = fetch_in_child(site.url(path), mode=mode, address_space=address_space, timeout=MAX_SECONDS + 25)
    outcome = run.outcome
    if mode == "ingest":
        outcome += f" ({len(site.item_requests()) - before}/{FEED_ITEMS} pages)"
    ok = run.wall <= MAX_SECONDS and run.peak_rss_mb <= MAX_MB and run.outcome not in ("killed", "crashed")
    line = (f"{name:<18}{outcome:<22}{run.wall:>8.2f}{run.seconds:>9.2f}{run.peak_rss_mb:>9.1f}  "
            f"{'yes' if ok else 'NO':<4}{what}")
    return line, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    parser.add_argument("--address-space", type=int, default=2048, help="RLIMIT_AS of each child, MB")
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if not args.only or args.only in s[0]]
    print(f"== fetch limits: 30 s deadline, 5 MB cap; budget {MAX_SECONDS:.0f} s and {MAX_MB:.0f} MB a row; "
          f"children limited to {args.address_space} MB of address space")
    print(HEADER)
    all_ok = True
    with HostileSite(drip_seconds=1.0) as site:
        for scenario in chosen:
            line, ok = row(site, *scenario, address_space=args.address_space * GiB // 1024)
            print(line, flush=True)
            all_ok &= ok
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
