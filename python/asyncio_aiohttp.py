"""Lesson 5 in Python: asyncio tasks with aiohttp, all at once or bounded."""

import asyncio
import time

import aiohttp

from lesson import Run, latency_of, parse_args


async def download_one(run, session, url, permits):
    async with permits:
        start = time.perf_counter()
        worker = asyncio.current_task().get_name()
        try:
            async with session.get(url) as response:
                response.raise_for_status()
                body = await response.read()
                run.record(url, start, time.perf_counter(), worker, len(body),
                           latency=latency_of(response.headers))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            run.record(url, start, time.perf_counter(), worker, error=str(error) or repr(error))


async def download_all(run, sites, workers):
    permits = asyncio.Semaphore(workers)
    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(download_one(run, session, site, permits) for site in sites))


def main():
    args = parse_args(__doc__)
    run = Run(args)
    asyncio.run(download_all(run, args.sites, args.workers or len(args.sites)))
    run.finish()


if __name__ == "__main__":
    main()
