"""Lesson 2 in Python: a ThreadPoolExecutor of five threads, and map."""

import concurrent.futures
import time

import lesson
from sequential import download_or_say_why


# ANCHOR: download_all
def download_all(sites, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        executor.map(download_or_say_why, sites)
# ANCHOR_END: download_all


def main():
    args = lesson.parse_args(__doc__)
    start_time = time.perf_counter()
    download_all(args.sites, args.workers or 5)
    end_time = time.perf_counter()
    print(f"Download {len(args.sites)} sites in {end_time - start_time:.2f} seconds")
    lesson.finish(args)


if __name__ == "__main__":
    main()
