# What the exercises say, in English: each message once, named by what it is
# for. The Chinese edition, ../zh-CN/exercises.ftl, has each message of this
# file, with the same values in it (a test holds it to that).

## `--help`: the command line, each command and option. (An option's message
## is named after it, whichever command takes it.)

help-about = Classroom exercises for the lessons, checked on the simulated web
help-after = Your exercises are the files in exercises/yours/, one per exercise (exercises/yours/threads-2.rs is threads-2), written by the first command you run. Edit one where it says todo!(), then check it, or let `watch` check it each time you save.
help-usage = Usage:
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-default = default
help-watch = Check the exercise you are on each time you save it, and move on when it passes; q quits
help-list = List the exercises, easiest first in each lesson, and which are done
help-next = The first exercise not done yet: its file and what to do
help-check = Build an exercise, run it on the simulated web, and say what is wrong
help-join = Join a class's serve: each check of your own file then sends it the verdict (pass or fail, the message's first line), never your code
help-leave = Leave the class: checks send it nothing more
help-hint = The exercise's hints, as the book has them
help-reset = Put an exercise back to its starter; what you wrote is kept in a .bak file
help-ready = Before a class: builds what the class runs (the lessons, `serve`, `compare`, the exercises), then runs lesson 1 and checks an exercise's solution, and says whether this machine is ready
help-prove = For teachers and CI: every solution passes its check, every starter fails, and every wrong answer in exercises/wrong/ fails as it says (a race, which a check catches by chance, within five checks)
help-answers = For maintainers and CI: write every starter, and every wrong and right answer from its patch on the solution, into exercises/answers/ (to read, or lint)
help-arg-help = Print help
help-arg-lang = The language to speak: en or zh-CN (中文); the system's by default
help-arg-id = The exercise, such as threads-2
help-arg-solution = Check the reference solution instead of your file
help-arg-wrong = Check one of the wrong answers in exercises/wrong/ instead, such as lock-held for exercises/wrong/threads-3.lock-held.patch
help-arg-right = Check one of the right answers in exercises/right/ instead, such as deque for exercises/right/threads-3.deque.patch
help-arg-seed = Check it on the web of this number, which a failed check names, rather than on a new one
help-arg-url = The class's address, such as http://192.168.1.20:8000
help-arg-name = Your name, as the class's pages show it
help-arg-count = How many of its hints to show: the book folds them one at a time
help-arg-only = Only these exercises, such as threads-1 (for a maintainer who changed their checks); every exercise by default
help-arg-write_docs = Then write the teachers' page of the class's common mistakes, in both editions of the book, from this run's verdicts

## An exercise's title, in `list`, `next`, `watch` and its verdict.

title-sequential-1 = write download_all as a plain loop
title-sequential-2 = add up the sizes of the pages downloaded
title-sequential-3 = retry a failing site with a growing wait
title-threads-1 = download on a ThreadPool of --workers threads
title-threads-2 = write download_all with thread::scope, a thread a site
title-threads-3 = write a pool: N scoped threads sharing a queue
title-processes-1 = download with rayon's par_iter on a pool of N
title-processes-2 = count words with rayon: fold, then reduce
title-processes-3 = measure the speed-up with 1 to N rayon threads
title-futures-1 = take the first results to arrive, through a channel
title-futures-2 = take the results in submission order
title-futures-3 = count the errors that result() gives back
title-async-1 = bound the async downloads with a Semaphore
title-async-2 = bound them with buffer_unordered, no tasks
title-async-3 = cancel every download still running at a deadline
title-async-4 = move blocking work off the thread with spawn_blocking

## Where a tool is the point: what to call, or not to.

tool-threadpool = make the pool with the threadpool crate: ThreadPool::new(workers)
tool-scope = start the threads inside std::thread::scope, so that they can borrow
tool-no-clones = scoped threads borrow client and url: nothing needs cloning
tool-own-pool = write the pool yourself: --workers threads started inside std::thread::scope, sharing a queue
tool-rayon-pool = build a rayon pool of --workers threads with ThreadPoolBuilder
tool-fold = fold each thread's lines into counts of its own
tool-reduce = merge the counts with reduce
tool-semaphore = bound the tasks with a tokio::sync::Semaphore
tool-spawn = spawn a task per site
tool-permits-not-buffer = here the bound is a Semaphore's permits (buffer_unordered is async-2)
tool-buffer-unordered = keep --workers futures going with buffer_unordered
tool-no-tasks = buffer_unordered bounds the futures itself: no tasks, no semaphore
tool-spawn-blocking = run parse on a thread for blocking work: tokio::task::spawn_blocking
# A tool the answer calls that it should not, and why not.
tool-not-called = { $count ->
    [1] it does not call `{ $tools }`
   *[other] it calls none of `{ $tools }`
}: { $why }
tool-called = it calls `{ $tool }`: { $why }
# The answer is not Rust that parses.
tool-unparsed = it is not Rust that parses: { $error }

## The learner's commands: list, next, check, reset.

no-such-exercise = error: there is no exercise { $id }; `list` shows them all
# After a done exercise, in `list`.
list-done = done
list-count = { $done }/{ $all } done
all-done = Every exercise is done.
edit = Edit { $file }
checking = Checking { $file }
# A check's verdict: `what` says what is wrong, and what to change.
not-done = { $id } is not done yet: { $what }
same-web = (On web { $seed }: `{ $command }` checks it on the same web again.)
right = { $id } is right: { $title }.
reset = { $file } is back to its starter.
reset-kept = What you wrote is kept in { $kept }.

## The teacher's `ready`.

ready-cargo-failed = `cargo { $command }` failed: see its messages above. Without the internet, run `cargo fetch` once while online.
ready-building = building the exercises' programs
ready-lesson-1-failed = lesson 1 did not run: { $error }
ready-lesson-1-read = lesson 1 read { $read } of its 12 pages:
ready-lesson-1 = lesson 1 downloaded its 12 pages
ready = This machine is ready for the class.

## `watch`: checking as you save.

watch-failed = error: cannot watch the exercises' files: { $error }
watch-keys = [h] a hint  [l] the list  [q] quit
# The first screen: the exercise, then the file to edit and the keys.
watch-title = { $id }: { $title }
watch-edit = Edit { $file }; { $keys }
watch-checking = Checking...
watch-save-again = Save the file to check it again.
watch-next = Next:
watch-next-hint = [h] the next hint
watch-all-done = Every exercise is done. Well done!
hint-next = (The next hint: `{ $command }`)

## Joining a class, and sending it each check's verdict.

join-no-scheme = { $url } is not a URL: did you mean http://{ $url }?
join-not-a-url = { $url } is not a URL: { $error }
join-not-http = { $url } is not an http:// address
join-no-serve = { $origin } does not answer as a class's serve: is the address right, and is `cargo run -p web --bin serve` running there?
joined = Joined the class at { $origin } as { $name }. Each check of your own file now sends it the verdict, never your code; `cargo run -p exercises -- leave` stops that.
left = Left the class at { $origin }: checks send it nothing now.
in-no-class = This machine is in no class.
class-no-answer = note: the class at { $origin } did not answer; it did not get this check
class-refused = note: the class at { $origin } did not take this check: { $error }
class-too-slow = note: the class at { $origin } did not take this check in time

## Building and running an answer.

does-not-compile = { $program } does not compile yet: cargo's messages are above.
cargo-failed = error: cannot run cargo: { $error }
check-failed = the check itself failed
reference-failed = the reference solution failed on this web: { $why }
never-finished = it did not finish within { $seconds } s. Is something waiting for ever: a thread never joined, a channel never closed, a lock never released, a retry that never stops?
could-not-run = it could not be run: { $error }
panicked = it panicked: { $panic }
ended-with = it ended with { $status }: { $why }
ended-silently = it ended with { $status }, and wrote nothing on stderr to say why
exit-status = exit status { $code }
no-exit-status = no exit status (a signal stopped it)
sharing-unjudged = (A busy thread gets { $share }% of a CPU on this machine now: too little to see threads share the work, which this check leaves unjudged.)

## What a check says of a run: each site once, and the lesson's end.

with-workers = with --workers { $n }, { $why }
line-inside-line = a line came with another inside it, `{ $line }`: a thread printed in the middle of another's line. Print each line whole, with one println!, so that nothing can land inside it
sites-got-no-line = { $unlined } of the { $all } sites got no line, yet the summary was printed: their downloads were still going when download_all returned. Wait for every one before returning
sites-never-started = { $unlined } of the { $all } sites got no line and were never asked for, yet the summary was printed: download_all returned without starting them (a future does nothing until it is awaited). Start every one, and wait for it before returning
never-asked = { $path } was never asked for: download every site
asked-times = { $path } was asked for { $asked } times: each site should be downloaded once
listed-asked = { $path } is listed { $listed } times, but was asked for { $asked }: download a site each time the list names it
no-line = { $url } got no line: print `Read N from URL`, or `Failed URL: reason` for a site that failed
lines-for-site = { $url } got { $lines } lines: one line for each site
listed-lines = { $url } is listed { $listed } times, but got { $lines } lines: one line each time the list names it
read-never-whole = it printed `Read { $size } from { $url }`, but the web never sent that page whole: print the size of the body you read
read-wrong-size = it printed `Read { $size } from { $url }`, but the web sent { $bytes } bytes: print the body's length in bytes (these pages have characters of several bytes)
# `change` says what to change.
at-once = { $n ->
    [one] 1 download
   *[other] { $n } downloads
} should run at once, but at the busiest, { $peak } did: { $change }
kept = { $n } downloads should run at once until the last site has started, but on average { $average } did: { $change }
left-idle = { $idle } times a download ended while sites were still to be asked for, and none was asked for in the next 50 ms: { $change }
waves = { $idle } downloads started when none was running, so the sites were started in waves: { $change }
# `order` is in-order where each line waits for the sites listed before it.
line-late = the line for { $site } came { $late } ms after it could: print each site's line as soon as { $order ->
    [in-order] it and every site before it are done
   *[any] its download ends, not once they all have
}
ended-late = it ended { $seconds } s after its last download: once the last site is done (or has failed for good), return, with no wait after it
no-summary = the last line should be `{ $summary }S seconds`: let main print it
wrong-exit-status = it ended with { $ended }, but { $failed ->
    [0] none of the sites failed
    [one] 1 of the sites failed
   *[other] { $failed } of the sites failed
}, so it should end with { $code }: return the exit status recorder.finish() gives, which counts download_one's errors

## Lesson 1's exercises: one by one.

sequential-1-panicked = { $why }. Some of the sites fail: print `Failed URL: reason` for each, and go on with the next
list-order = the sites should be downloaded in the list's order, { $listed }, not { $asked }
one-after-the-other = download the sites one after the other, in a plain loop
total-line = the last line should be `{ $line }`: the sizes this web sent, the failed pages not counted. { $printed }
no-total-line = No line starts with `Total: `
total-was = It was `{ $last }`
too-many-attempts = it asked for { $path } { $asked } times: stop after 4 attempts in all
retried-404 = { $path } answered 404 and was asked for { $asked } times: a 404 will not be different next time. Retry only after a 5xx status (is_server_error)
flaky-tries = { $path } fails twice, then answers: it should be asked for 3 times, not { $tries }
broken-tries = { $path } always fails: it should be asked for 4 times in all, not { $asked }
first-retry-early = the first retry of { $path } came { $wait } after the failed answer: wait 100 ms before it
first-retry-late = the first retry of { $path } came { $wait } after the failed answer: wait 100 ms before it, not more
waits-grow = the waits should grow, twice as long each time, but they were { $waits }
waited-after-giving-up = after the last attempt at { $path }, it waited { $seconds } s: once the 4th attempt has failed, give up at once, with no wait after it

## Lesson 2's exercises: threads.

threads-1-pool = a pool of --workers ({ $n }) threads, given a job for each site, runs { $n } at once
threads-1-job-per-site = give the pool a job per site and let it run them; a thread that finishes should take the next site at once, not wait for the others
threads-2-all-at-once = { $count } pages should download at once, but at the busiest, { $peak } did: start every site's thread before waiting for any
threads-3-lock-held = is the queue's lock held while downloading? Or did the other threads stop? Take the next URL, let go, then download, until the queue is empty, whether the site before failed or not
threads-3-start-workers = start --workers ({ $n }) threads, each taking the next site from the queue until it is empty, whether the one before failed or not
threads-3-next-at-once = a thread that finishes should take the next site from the queue at once, one site at a time, until the queue is empty, whether its last site failed or not
threads-3-from-the-back = the sites were taken from the end of the list: take them from the front, in the list's order (Vec::pop takes the last; a VecDeque's pop_front, or an iterator's next, takes the first)
threads-3-out-of-order = { $path } was number { $asked } of the sites asked for, but number { $listed } of the list: { $change }
threads-3-rush = with { $threads } threads and { $pages } quick pages, { $why }. Taking the next site must be one step under the lock (or one atomic fetch_add), never a read and a write back

## Lesson 4's exercises: futures and their results.

futures-1-submit-all = only { $asked } of the { $all } sites were asked for, with 6 workers: submit every site, then take the first 3 results to arrive
futures-1-too-many = it printed { $printed } results: print the first 3 to arrive, and no more
futures-1-first-three = the first 3 to arrive were { $first }, but it printed { $printed }: take results from the channel as they come, failures too
futures-1-waited = it waited for { $path } ({ $ms } ms) before it was done: return once the first 3 results are in
futures-2-submit-all = submit every site before waiting for the first result
futures-2-order = the lines should come in the order the sites were submitted, { $submitted }, not { $printed }
futures-3-count = this web failed { $failed } of the sites ({ $kinds }), so the last line should be `{ $line }`, not `{ $printed }`: every Err counts, whatever the error

## Lesson 3's exercises: rayon's pools and parallel work.

processes-1-par-iter = download with par_iter, on rayon's threads
processes-1-global-pool = { $peak } is as many as rayon's global pool has, a thread per CPU: build a pool of --workers ({ $n }) threads, and run the par_iter inside pool.install(|| ..), where it runs on that pool
processes-1-not-chunks = build a pool of --workers ({ $n }) threads, install it, and make each site its own task: par_iter over the sites, not chunks of them
processes-2-words = the pages hold `{ $line }`, but it printed `{ $printed }`: { $change }
processes-2-as-split = count every word as count_line splits them, nothing trimmed or changed: `web` and `web,` are two words
processes-2-own-split = it found words the pages do not hold: split each line with count_line (split_whitespace, for which a tab or two spaces are one gap), not a split of your own
processes-2-fold-reduce = fold each thread's lines, then merge every thread's counts with reduce
processes-2-one-thread = the counting kept { $helping } thread busy ({ $ms } ms of CPU): share the lines out among rayon's threads with par_iter and par_lines
# What processes-3's run printed, in `processes-3-printed`.
processes-3-no-lines = no line but the downloads' and the summary
processes-3-other-lines = no line `T threads: M ms`, but { $others }
processes-3-lines-for = lines for { $counts } threads ({ $others })
processes-3-printed = with --workers { $n }, it printed { $printed }: print one line `T threads: M ms` for each number of threads from 1 to { $n }, in turn
processes-3-timed = `{ $line }` came { $gap } ms after { $threads ->
    [1] the last download
   *[other] the line before
}: print how long checksum took in { $threads } thread(s), the whole of it in milliseconds, timed with Instant::now() before it and elapsed() after
processes-3-too-many = while timing { $threads } thread(s), { $busy } shared the work: build a pool of that many threads for each line, and run the work inside pool.install
processes-3-one-did = while timing 2 or more threads, { $largest } did the work: time checksum in a pool of 1, then 2... threads
processes-3-measure = with { $more } times as much to check, the work took { $expected } times as long, but the times printed grew { $ratio } times: print what you measure

## Lesson 5's exercises: async tasks.

async-workers-is = --workers is { $n }: { $change }
async-1-hold-permit = each task should hold a permit until its download ends
async-1-hand-on = a task that finishes should hand its permit on at once, not wait for the others
async-2-next = buffer_unordered starts the next site as soon as one ends, not once all of them have
async-3-still-running = it was still running at 5 s, with a deadline of 0.8 s: stop every download still running then
async-3-never-awaited = none of the { $sites } sites done within 0.5 s was asked for, and the run ended after { $took } s, before the deadline: download_all's future was made but never run. A future does nothing until it is awaited: put .await after tokio::time::timeout(...)
async-3-thread-held = none of the { $sites } sites done within 0.5 s got a line, and the run ended after { $took } s: something held the runtime's only thread (std::thread::sleep, say), so that no task could go on. Wait with tokio::time's sleep or timeout, which let the downloads run meanwhile
# `but` is one of the four that follow.
async-3-deadline = { $path } should be cut at the deadline, 0.8 s after the start, but { $but }: stop every download still running then
async-3-let-finish = it was let finish
async-3-cut-late = it was cut at { $at } s: one deadline of 0.8 s for the whole run, counted from its start
async-3-cut-at = it was cut at { $at } s
async-3-never-cut = it was never cut
async-4-no-parse = in the 800 ms after the first page came, while it should have been parsed, the busiest thread of the program used { $busiest } ms of CPU, where a busy thread gets { $could } ms on this machine now: the parse did no work. Call parse(size) itself, inside tokio::task::spawn_blocking
async-4-blocked = while the first page was being parsed, no other download started: the parse blocked the runtime's only thread. Run it with tokio::task::spawn_blocking, and .await its handle (a blocking wait, block_on say, holds the thread as the parse would)
async-4-permit-kept = while the first page was being parsed, two other downloads ran at once: its task should keep its permit until the parse is done: await the spawn_blocking handle
async-4-ended-early = the run ended { $ms } ms after the first page came, before its parse (1 s) was done: await the spawn_blocking handle

## Every check's last step: the run beside the reference solution's.

reference-status = it ended with { $ended }, where the reference solution ended with { $theirs } on the same web: end as the exercise's text says, with the status recorder.finish() gives
reference-slower = it took { $took } s, where the reference solution took { $theirs } s on the same web: something waits that need not (sites one after another, a sleep, a thread held)
times = { $n ->
    [1] once
    [2] twice
   *[other] { $n } times
}
never = never
reference-never-prints = a line the reference solution does not print
reference-printed = where the reference solution printed it { $times }
line-too-often = it printed `{ $line }`{ $count ->
    [1] {""}
   *[other] { " " }{ $times }
}, { $reference } on the same web: print the lines the exercise asks for, each as often as it says (anything else goes to stderr, with eprintln!)
never-did = never did
printed-it = printed it { $times }
line-too-rarely = the reference solution printed `{ $line }` { $times } on the same web, but this program { $yours }: print every line the exercise asks for
asked-unlike-reference = { $count ->
    [0] it never asked the web for { $path }
   *[other] it asked the web for { $path } { $yours }
}, where the reference solution asked for it { $theirs } on the same web: ask for each site as the exercise says
