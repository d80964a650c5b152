"""Lesson 3 in Python: a ProcessPoolExecutor, one process per CPU.

Each worker process downloads and sends back what the report needs; the
parent records it, as the Rust lesson's parent does.
"""

import concurrent.futures
import time

import requests

from lesson import Run, latency_of, parse_args, worker_name


def download_one(url):
    start = time.time()
    try:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        size, error, latency = len(response.content), None, latency_of(response.headers)
    except requests.RequestException as failure:
        size, error, latency = None, str(failure), None
    return url, start, time.time(), worker_name(), size, error, latency


def main():
    args = parse_args(__doc__)
    run = Run(args)
    # The workers' clocks are wall clocks: turn them into this run's.
    offset = time.perf_counter() - time.time()
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as executor:
        for url, start, end, worker, size, error, latency in executor.map(download_one, args.sites):
            run.record(url, start + offset, end + offset, worker, size, error, latency)
    run.finish()


if __name__ == "__main__":
    main()
