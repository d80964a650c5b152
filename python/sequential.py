"""Lesson 1 in Python: requests.get in a loop, one site after the other."""

import time

import requests

from lesson import Run, latency_of, parse_args, worker_name


def download_one(run, session, url):
    start = time.perf_counter()
    try:
        response = session.get(url, timeout=10)
        response.raise_for_status()
        run.record(url, start, time.perf_counter(), worker_name(), len(response.content),
                   latency=latency_of(response.headers))
    except requests.RequestException as error:
        run.record(url, start, time.perf_counter(), worker_name(), error=str(error))


def download_all(run, session, sites):
    for site in sites:
        download_one(run, session, site)


def main():
    args = parse_args(__doc__)
    run = Run(args)
    with requests.Session() as session:
        download_all(run, session, args.sites)
    run.finish()


if __name__ == "__main__":
    main()
