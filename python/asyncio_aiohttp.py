"""Lesson 5 in Python: asyncio tasks with aiohttp, all at once or bounded."""

import asyncio
import time

import aiohttp

import lesson


# ANCHOR: download_one
@lesson.watched
async def download_one(url):
    async with SESSION.get(url) as response:
        response.raise_for_status()
        body = await response.read()
    print(f"Read {len(body)} from {url}", flush=True)
    return len(body)
# ANCHOR_END: download_one


async def download_or_say_why(url, permits):
    async with permits:  # at most --workers at once
        try:
            await download_one(url)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            print(f"Failed {url}: {str(error) or repr(error)}", flush=True)


# ANCHOR: download_all
async def download_all(sites, workers):
    global SESSION
    permits = asyncio.Semaphore(workers)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as SESSION:
        await asyncio.gather(*(download_or_say_why(url, permits) for url in sites))
# ANCHOR_END: download_all


def main():
    args = lesson.parse_args(__doc__)
    start_time = time.perf_counter()
    asyncio.run(download_all(args.sites, args.workers or len(args.sites)))
    end_time = time.perf_counter()
    print(f"Download {len(args.sites)} sites in {end_time - start_time:.2f} seconds")
    lesson.finish(args)


if __name__ == "__main__":
    main()
