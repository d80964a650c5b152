"""Lesson 4 in Python: submit every site to three threads, then as_completed."""

import concurrent.futures

import requests

from lesson import Run, parse_args
from sequential import download_one


def download_all(run, session, sites, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        to_do = [executor.submit(download_one, run, session, site) for site in sites]
        for future in concurrent.futures.as_completed(to_do):
            future.result()


def main():
    args = parse_args(__doc__)
    run = Run(args)
    with requests.Session() as session:
        download_all(run, session, args.sites, args.workers or 3)
    run.finish()


if __name__ == "__main__":
    main()
