# What `serve` says, in English: each message once, named by what it is for.
# The Chinese edition, ../zh-CN/web.ftl, has each message of this file, with
# the same values in it (a test holds it to that).

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
