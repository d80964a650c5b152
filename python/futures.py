"""Lesson 4 in Python: submit every site to three threads, then as_completed."""

import concurrent.futures
import time

import requests

import lesson


# ANCHOR: download_one
@lesson.watched
def download_one(url):
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    return len(response.content)  # printed where the result is taken
# ANCHOR_END: download_one


# ANCHOR: download_all
def download_all(sites, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        to_do = {executor.submit(download_one, url): url for url in sites}
        for future in concurrent.futures.as_completed(to_do):
            url = to_do[future]
            try:
                print(f"Read {future.result()} from {url}", flush=True)
            except requests.RequestException as error:
                print(f"Failed {url}: {error}", flush=True)
# ANCHOR_END: download_all


def main():
    args = lesson.parse_args(__doc__)
    start_time = time.perf_counter()
    download_all(args.sites, args.workers or 3)
    end_time = time.perf_counter()
    print(f"Download {len(args.sites)} sites in {end_time - start_time:.2f} seconds")
    lesson.finish(args)


if __name__ == "__main__":
    main()
