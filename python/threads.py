"""Lesson 2 in Python: a ThreadPoolExecutor of five threads, and map."""

import concurrent.futures

import requests

from lesson import Run, parse_args
from sequential import download_one


def download_all(run, session, sites, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        executor.map(lambda site: download_one(run, session, site), sites)


def main():
    args = parse_args(__doc__)
    run = Run(args)
    with requests.Session() as session:
        download_all(run, session, args.sites, args.workers or 5)
    run.finish()


if __name__ == "__main__":
    main()
