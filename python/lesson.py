"""What the Python versions of the lessons share, as the Rust lessons share the
`sites` crate: the command line, and the recording behind `--json FILE`, in the
same JSON as the Rust lessons, so that `cargo run --release -p compare --
--python` can set them side by side.

Each program takes `--urls FILE` (one URL a line, as `serve` prints them) or
`--urls URL` (a list to fetch, such as a class's `http://HOST:8000/urls.txt`),
`--json FILE` and `--workers N`. Its `download_one` is marked `@watched`, the
Python twin of the Rust lessons' `#[tracing::instrument]`: it notes when each
call starts and ends, on which worker, and what it returned or raised.
"""

import argparse
import asyncio
import functools
import json
import os
import threading
import time
import urllib.request

STARTED = time.perf_counter()
_records = []
_lock = threading.Lock()
_names = {}
_counts = {}
# Where a worker process sends its records: set in each worker by `in_worker`.
_queue = None


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--urls", required=True, metavar="FILE|URL",
        help="a file of URLs, one a line, or the URL of such a list, such as a class's "
        "http://HOST:8000/urls.txt",
    )
    parser.add_argument("--json", metavar="FILE", help="write the JSON report to FILE")
    parser.add_argument("--workers", type=int, help="how many download at once")
    args = parser.parse_args()
    if args.urls.startswith(("http://", "https://")):
        with urllib.request.urlopen(args.urls, timeout=10) as response:
            text = response.read().decode("utf-8-sig")
    else:
        with open(args.urls, encoding="utf-8-sig") as lines:
            text = lines.read()
    lines = (line.strip() for line in text.splitlines())
    args.sites = [line for line in lines if line and not line.startswith("#")]
    # The report's times count from here, just before the program starts its clock.
    global STARTED
    STARTED = time.perf_counter()
    return args


def worker():
    """The current worker's name, as the Rust lessons name theirs."""
    if _queue is not None:
        return f"process {os.getpid()}"
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    key = task or threading.get_ident()
    with _lock:
        if key not in _names:
            if task is not None:
                kind = "task"
            elif threading.current_thread() is threading.main_thread():
                _names[key] = "main"
                return "main"
            else:
                kind = "thread"
            # Counted as they come: a sum over the names would take a
            # second and more at 10,000 tasks.
            _counts[kind] = _counts.get(kind, 0) + 1
            _names[key] = f"{kind} {_counts[kind]}"
        return _names[key]


def _record(url, start, size, error, name):
    record = (url, start, time.perf_counter(), name, size, error)
    if _queue is not None:
        _queue.put(record)
    else:
        with _lock:
            _records.append(record)


def watched(download_one):
    """Notes each call's start, end, worker and outcome for the report."""
    if asyncio.iscoroutinefunction(download_one):
        @functools.wraps(download_one)
        async def wrapper(url):
            start, name = time.perf_counter(), worker()
            try:
                size = await download_one(url)
            except Exception as error:
                _record(url, start, None, str(error) or repr(error), name)
                raise
            _record(url, start, size, None, name)
            return size
        return wrapper

    @functools.wraps(download_one)
    def wrapper(url):
        start, name = time.perf_counter(), worker()
        try:
            size = download_one(url)
        except Exception as error:
            _record(url, start, None, str(error), name)
            raise
        _record(url, start, size, None, name)
        return size
    return wrapper


def in_worker(queue):
    """A process pool's initializer: its records go to the parent by `queue`."""
    global _queue
    _queue = queue


def finish(args, queue=None):
    """Writes the JSON report, with the sites in the list's order."""
    wall = time.perf_counter() - STARTED
    while queue is not None and not queue.empty():
        _records.append(queue.get())
    if not args.json:
        return
    ms = lambda at: round((at - STARTED) * 1000, 3)
    # A URL listed twice gives its places to its downloads in the order they started.
    by_url = {}
    for record in sorted(_records, key=lambda record: record[1]):
        by_url.setdefault(record[0], []).append(record)
    sites = []
    for url in args.sites:
        taken = by_url.get(url) or [(url, STARTED, STARTED, "none", None, "never downloaded")]
        url, start, end, name, size, error = taken.pop(0)
        sites.append({"url": url, "bytes": size, "error": error, "start_ms": ms(start),
                      "end_ms": ms(end), "worker": name})
    report = {"wall_ms": round(wall * 1000, 3), "peak_rss_kb": peak_rss_kb(), "sites": sites, "work": []}
    with open(args.json, "w") as file:
        json.dump(report, file)


def peak_rss_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
