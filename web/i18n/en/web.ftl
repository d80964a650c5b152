# What `serve` says, in English: each message once, named by what it is for.
# The Chinese edition, ../zh-CN/web.ftl, has each message of this file, with
# the same values in it (a test holds it to that).

## `--help`: what serve is, each option, and what a client can make it keep.
## (The options it shares with the lessons say theirs in `web::cli`.)

help-about = Serve the simulated web until interrupted, printing each page's URL
help-usage = Usage:
help-options = Options
help-default = default
help-arg-help = Print help
help-arg-port = The port to listen on; 0 lets the system pick a free one
help-arg-host = The address to listen on: 0.0.0.0 to serve a class on every network this machine is on, or one address of this machine's
help-arg-quiet = Do not log each request on stderr
help-arg-connections = The most connections open at once [default: all but 64 of the files this process may open, at most 8,192]
help-arg-per_address = The most connections one address may hold at once; a room behind one address shares them [default: an eighth of --connections]
help-budgets =
    What a client can make serve keep is bounded, to { $memory } MiB of memory in all, whatever clients send or leave unread:
      - a request's path, as recorded, to { $path } bytes (longer ones are cut, ending in …), and a name to 64 characters
      - the record of requests to { $record } MiB, the oldest let go first
      - the class page to 100 runs of 2,000 drawn requests, in { $class } MiB
      - a run's summary to { $summary } KiB (larger is refused with 413)
      - a check's verdict to { $verdict } KiB, kept for { $students } students of { $exercises } exercises, each's latest, its message to one line of { $message } characters
      - a request's headers, and its body, to { $headers } s; an answer left unread to { $unread } s
      - the connections to --connections, { $connection } KiB each, in { $connections } MiB at most, and --per-address for one address

## Before it serves: the system's limits.

too-little-space = error: serve holds up to { $holds } MiB whatever its clients do, and needs { $needs } MiB of address space, but this system allows it only { $allowed } MiB: raise the limit with `{ $command }` or more
too-few-files = note: this process may open { $files } files, so serve holds { $connections } connections at once ({ $per_address } from one address), where a class of 30 running lesson 5 behind one address needs about { $class }: raise the limit before serve, with `ulimit -n 4096`
error = error: { $error }
cannot-serve = error: cannot serve at { $addr }: { $error }
not-an-address = not an IP address, such as 0.0.0.0 or 192.168.1.5

## Where the class finds it.

serving = Serving { $pages } pages at { $root } until Ctrl-C.
no-network = This machine is on no network: only its own programs can reach it, at http://127.0.0.1:{ $port }/.
other-machines = Other machines may reach it at any of:
class-page = In a browser, { $root } is the class page: every run against this web, live.
students-run = Students run: cargo run -p ch02-threads -- --urls { $root }urls.txt --name NAME
faults = Pages that fail on purpose, for experiments:

## When it stops.

stopped = Stopped by { $signal } after { $served } requests.
no-ctrl-c = error: cannot wait for Ctrl-C: { $error }
