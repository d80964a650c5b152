"""Lesson 1 in Python: requests.get in a loop, one site after the other."""

import time

import requests

import lesson


# ANCHOR: download_one
@lesson.watched  # for the JSON report, like the Rust lessons' #[tracing::instrument]
def download_one(url):
    response = requests.get(url, timeout=10)
    response.raise_for_status()  # a 404 or a 500 fails, as in the Rust lessons
    print(f"Read {len(response.content)} from {url}", flush=True)
    return len(response.content)
# ANCHOR_END: download_one


def download_or_say_why(url):
    """One line for every URL, whether the download worked or not."""
    try:
        download_one(url)
    except requests.RequestException as error:
        print(f"Failed {url}: {error}", flush=True)


# ANCHOR: download_all
def download_all(sites):
    for url in sites:
        download_or_say_why(url)
# ANCHOR_END: download_all


# ANCHOR: main
def main():
    args = lesson.parse_args(__doc__)
    start_time = time.perf_counter()
    download_all(args.sites)
    end_time = time.perf_counter()
    print(f"Download {len(args.sites)} sites in {end_time - start_time:.2f} seconds")
    lesson.finish(args)
# ANCHOR_END: main


if __name__ == "__main__":
    main()
