"""What the Python versions of the lessons share: the command line, the timing
and the report, in the same JSON as the Rust lessons' `--json`, so that
`cargo run --release -p compare -- --python` can set them side by side.

Each program takes `--urls FILE` (one URL a line, as `serve` prints them) and
`--json`; without `--json` it prints the notes' lines.
"""

import argparse
import json
import os
import threading
import time

LATENCY_HEADER = "x-simulated-latency-ms"


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--urls", required=True, help="a file of URLs, one a line")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    parser.add_argument("--workers", type=int, help="how many download at once")
    args = parser.parse_args()
    with open(args.urls) as lines:
        args.sites = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return args


class Run:
    """Times each download and prints its line, or keeps it for the JSON report."""

    def __init__(self, args):
        self.args = args
        self.started = time.perf_counter()
        self.sites = []
        self.lock = threading.Lock()

    def ms(self, at):
        return round((at - self.started) * 1000, 3)

    def record(self, url, start, end, worker, size=None, error=None, latency=None):
        site = {
            "url": url,
            "bytes": size,
            "error": error,
            "start_ms": self.ms(start),
            "end_ms": self.ms(end),
            "worker": worker,
            "latency_ms": latency,
        }
        with self.lock:
            self.sites.append(site)
            if not self.args.json:
                if error is None:
                    print(f"Read {size} from {url}", flush=True)
                else:
                    print(f"Failed {url}: {error}", flush=True)

    def finish(self):
        wall = time.perf_counter() - self.started
        if self.args.json:
            # The report lists the sites in the list's order; a URL listed twice
            # gives its places to its downloads in the order they started.
            places = {}
            for index, url in enumerate(self.args.sites):
                places.setdefault(url, []).append(index)
            self.sites.sort(key=lambda site: site["start_ms"])
            for site in self.sites:
                site["place"] = (places.get(site["url"]) or [len(self.args.sites)]).pop(0)
            self.sites.sort(key=lambda site: site.pop("place"))
            print(json.dumps({"wall_ms": round(wall * 1000, 3), "peak_rss_kb": peak_rss_kb(), "sites": self.sites}))
        else:
            print(f"Download {len(self.args.sites)} sites in {wall:.2f} seconds")


def latency_of(headers):
    value = headers.get(LATENCY_HEADER)
    return float(value) if value is not None else None


def peak_rss_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def worker_name():
    return f"{threading.current_thread().name} (pid {os.getpid()})"
