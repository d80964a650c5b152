"""Lesson 3 in Python: a ProcessPoolExecutor, one process per CPU.

Each worker process prints its own lines, as the notes' do, and sends its
records for the JSON report back to this one.
"""

import concurrent.futures
import multiprocessing
import time

import lesson
from sequential import download_or_say_why


# ANCHOR: download_all
def download_all(sites, workers, queue):
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=lesson.in_worker, initargs=(queue,)
    ) as executor:
        executor.map(download_or_say_why, sites)
# ANCHOR_END: download_all


def main():
    queue = multiprocessing.Manager().Queue()
    args = lesson.parse_args(__doc__)
    start_time = time.perf_counter()
    download_all(args.sites, args.workers, queue)
    end_time = time.perf_counter()
    print(f"Download {len(args.sites)} sites in {end_time - start_time:.2f} seconds")
    lesson.finish(args, queue)


if __name__ == "__main__":
    main()
