# 练习用中文说的话：每条消息与 ../en/exercises.ftl 中的同名，值也相同
# （有测试检查）。术语见 docs/po/glossary.md。

## `--help`：命令行，每个命令和选项。（选项的消息以它的名字命名，无论哪个命令接受它。）

help-about = 配合各课的课堂练习，在模拟 Web 上检查
help-after = 你的练习是 exercises/yours/ 里的文件，每个练习一个（exercises/yours/threads-2.rs 就是 threads-2），由你运行的第一个命令写出。在写着 todo!() 的地方修改它，然后检查它，或者让 `watch` 在你每次保存时检查它。
help-usage = 用法:
help-commands = 命令
help-arguments = 参数
help-options = 选项
help-default = 默认
help-watch = 每次保存时检查你正在做的练习，通过后进入下一个；按 q 退出
help-list = 列出所有练习，每课由易到难，并标出哪些已经完成
help-next = 第一个还没完成的练习：它的文件和要做的事
help-check = 构建一个练习，在模拟 Web 上运行它，并说出哪里不对
help-join = 加入课堂的 serve：之后每次检查你自己的文件，都会把结论（通过或失败，以及消息的第一行）发给它，绝不发送你的代码
help-leave = 离开课堂：检查不再发给它任何东西
help-hint = 练习的提示，和书中的一样
help-reset = 把练习恢复为初始代码；你写的内容保存在一个 .bak 文件里
help-ready = 上课之前：构建课堂要运行的东西（各课、`serve`、`compare`、练习），然后运行第 1 课并检查一个练习的参考答案，说出这台机器是否已经准备好
help-prove = 供教师和 CI 使用：每个参考答案都通过检查，每个初始代码都失败，exercises/wrong/ 里的每个错误答案都按它所说的方式失败（竞态由检查碰巧抓到，五次检查之内）
help-answers = 供维护者和 CI 使用：把每个初始代码，以及由补丁得到的每个错误和正确答案，写进 exercises/answers/（用来阅读，或者 lint）
help-arg-help = 显示帮助
help-arg-lang = 要说的语言：en 或 zh-CN（中文）；默认用系统的语言
help-arg-id = 练习，例如 threads-2
help-arg-solution = 检查参考答案，而不是你的文件
help-arg-wrong = 改为检查 exercises/wrong/ 里的一个错误答案，例如 lock-held 表示 exercises/wrong/threads-3.lock-held.patch
help-arg-right = 改为检查 exercises/right/ 里的一个正确答案，例如 deque 表示 exercises/right/threads-3.deque.patch
help-arg-seed = 在这个编号的模拟 Web 上检查（检查失败时会说出编号），而不是在一个新的模拟 Web 上
help-arg-url = 课堂的地址，例如 http://192.168.1.20:8000
help-arg-name = 你的名字，按课堂页面显示的样子
help-arg-count = 显示几条提示：书中一次展开一条
help-arg-only = 只检查这些练习，例如 threads-1（供改了它们的检查的维护者使用）；默认检查所有练习
help-arg-write_docs = 然后根据这次运行的结论，在书的两个版本里写出教师用的课堂常见错误页面

## 练习的标题，见于 `list`、`next`、`watch` 和检查结论。

title-sequential-1 = 用一个普通的循环写 download_all
title-sequential-2 = 把下载到的页面大小加起来
title-sequential-3 = 重试失败的网站，每次等得更久
title-threads-1 = 在 --workers 个线程的 ThreadPool 上下载
title-threads-2 = 用 thread::scope 写 download_all，每个网站一个线程
title-threads-3 = 自己写一个池：N 个作用域线程共享一个队列
title-processes-1 = 在 N 个线程的池上用 rayon 的 par_iter 下载
title-processes-2 = 用 rayon 数单词：先 fold，再 reduce
title-processes-3 = 用 1 到 N 个 rayon 线程测量加速比
title-futures-1 = 通过通道取最先到达的结果
title-futures-2 = 按提交的顺序取结果
title-futures-3 = 数出 result() 返回的错误
title-async-1 = 用 Semaphore 限制异步下载的数量
title-async-2 = 用 buffer_unordered 限制下载数量，不用任务
title-async-3 = 到截止时间时取消所有仍在进行的下载
title-async-4 = 用 spawn_blocking 把阻塞的工作移出运行时的线程

## 工具就是重点的地方：该调用什么，不该调用什么。

tool-threadpool = 用 threadpool crate 建池：ThreadPool::new(workers)
tool-scope = 在 std::thread::scope 里启动线程，这样它们才能借用
tool-no-clones = 作用域线程借用 client 和 url：什么都不需要克隆
tool-own-pool = 自己写这个池：在 std::thread::scope 里启动 --workers 个线程，共享一个队列
tool-rayon-pool = 用 ThreadPoolBuilder 建一个 --workers 个线程的 rayon 池
tool-fold = 把每个线程的行 fold 成它自己的计数
tool-reduce = 用 reduce 合并各个计数
tool-semaphore = 用 tokio::sync::Semaphore 限制任务
tool-spawn = 为每个网站派生（spawn）一个任务
tool-permits-not-buffer = 这里要用 Semaphore 的许可来限制数量（buffer_unordered 是 async-2 的内容）
tool-buffer-unordered = 用 buffer_unordered 让 --workers 个 future 同时进行
tool-no-tasks = buffer_unordered 自己就会限制 future 的数量：不用任务，也不用信号量
tool-spawn-blocking = 用 tokio::task::spawn_blocking 在专做阻塞工作的线程上运行 parse
# 答案调用了不该调用的工具，以及原因。
tool-not-called = { $count ->
    [1] 它没有调用 `{ $tools }`
   *[other] `{ $tools }` 它一个也没有调用
}：{ $why }
tool-called = 它调用了 `{ $tool }`：{ $why }
# 答案不是能解析的 Rust 代码。
tool-unparsed = 它无法解析为 Rust 代码：{ $error }

## 学习者的命令：list、next、check、reset。

no-such-exercise = 错误：没有练习 { $id }；`list` 会列出所有练习
# 在 `list` 中，已完成的练习之后。
list-done = 已完成
list-count = 已完成 { $done }/{ $all }
all-done = 所有练习都已完成。
edit = 编辑 { $file }
checking = 正在检查 { $file }
# 检查的结论：`what` 说明哪里不对，以及该改什么。
not-done = { $id } 还没有完成：{ $what }
same-web = （在模拟 Web { $seed } 上：`{ $command }` 会在同一个模拟 Web 上再检查一次。）
right = { $id } 正确：{ $title }。
reset = { $file } 已恢复为初始代码。
reset-kept = 你写的内容保存在 { $kept } 中。

## 教师的 `ready`。

ready-cargo-failed = `cargo { $command }` 失败了：请看上面它输出的消息。如果没有网络，请先在联网时运行一次 `cargo fetch`。
ready-building = 正在构建练习的程序
ready-lesson-1-failed = 第 1 课没能运行：{ $error }
ready-lesson-1-read = 第 1 课只读取了它的 12 个页面中的 { $read } 个：
ready-lesson-1 = 第 1 课下载了它的 12 个页面
ready = 这台机器已经为课堂准备好了。

## `watch`：保存时就检查。

watch-failed = 错误：无法监视练习的文件：{ $error }
watch-keys = [h] 提示  [l] 练习列表  [q] 退出
watch-title = { $id }：{ $title }
watch-edit = 编辑 { $file }；{ $keys }
watch-checking = 正在检查……
watch-save-again = 保存文件，就会再检查一次。
watch-next = 下一个：
watch-next-hint = [h] 下一个提示
watch-all-done = 所有练习都已完成。做得好！
hint-next = （下一个提示：`{ $command }`）

## 加入课堂，并把每次检查的结论发给它。

join-no-scheme = { $url } 不是一个 URL：你是想写 http://{ $url } 吗？
join-not-a-url = { $url } 不是一个 URL：{ $error }
join-not-http = { $url } 不是 http:// 地址
join-no-serve = { $origin } 没有像课堂的 serve 那样应答：地址对吗？那里正在运行 `cargo run -p web --bin serve` 吗？
joined = 已作为 { $name } 加入 { $origin } 的课堂。从现在起，检查你自己的文件时都会把结论发给课堂，但绝不会发送你的代码；`cargo run -p exercises -- leave` 可以停止发送。
left = 已离开 { $origin } 的课堂：检查不再发给它任何东西。
in-no-class = 这台机器没有加入任何课堂。
class-no-answer = 注意：{ $origin } 的课堂没有应答；它没有收到这次检查的结论
class-refused = 注意：{ $origin } 的课堂没有接收这次检查的结论：{ $error }
class-too-slow = 注意：{ $origin } 的课堂没能及时接收这次检查的结论

## 构建并运行一个答案。

does-not-compile = { $program } 还不能编译：cargo 的消息在上面。
cargo-failed = 错误：无法运行 cargo：{ $error }
check-failed = 检查本身失败了
reference-failed = 参考答案在这个模拟 Web 上失败了：{ $why }
never-finished = 它在 { $seconds } 秒内没有结束。是不是有什么在永远等待：一个从未 join 的线程、一个从未关闭的通道、一把从未释放的锁、一个永不停止的重试？
could-not-run = 它无法运行：{ $error }
panicked = 它 panic 了：{ $panic }
ended-with = 它结束了，{ $status }：{ $why }
ended-silently = 它结束了，{ $status }，且没有在 stderr 上说明原因
exit-status = 退出状态 { $code }
no-exit-status = 没有退出状态（被信号终止）
sharing-unjudged = （这台机器上，一个忙碌的线程现在只能得到 CPU 的 { $share }%：太少了，看不出线程是否在分担工作，这项检查不作评判。）

## 检查对一次运行的结论：每个网站一次，以及课程程序的结尾。

with-workers = 使用 --workers { $n } 时，{ $why }
line-inside-line = 有一行里夹着另一行，`{ $line }`：一个线程在另一个线程的行中间打印了。每一行都要整行打印，只用一次 println!，这样什么都插不进去
sites-got-no-line = { $all } 个网站中有 { $unlined } 个没有输出对应的行，摘要行却已经打印了：download_all 返回时，它们的下载还在进行。返回之前要等每一个下载完成
sites-never-started = { $all } 个网站中有 { $unlined } 个没有输出对应的行，也从未被请求过，摘要行却已经打印了：download_all 没有启动它们就返回了（future 在被 .await 之前什么也不做）。启动每一个下载，并在返回之前等它完成
never-asked = { $path } 从未被请求过：要下载每一个网站
asked-times = { $path } 被请求了 { $asked } 次：每个网站只应下载一次
listed-asked = { $path } 在列表中出现了 { $listed } 次，却被请求了 { $asked } 次：列表每列出一次，就下载一次
no-line = { $url } 没有对应的输出行：打印 `Read N from URL`，失败的网站打印 `Failed URL: reason`
lines-for-site = { $url } 输出了 { $lines } 行：每个网站一行
listed-lines = { $url } 在列表中出现了 { $listed } 次，却输出了 { $lines } 行：列表中每出现一次，就打印一行
read-never-whole = 它打印了 `Read { $size } from { $url }`，但模拟 Web 从未完整地发送过这个页面：打印你读到的正文的大小
read-wrong-size = 它打印了 `Read { $size } from { $url }`，但模拟 Web 发送了 { $bytes } 字节：打印正文的字节长度（这些页面里有占多个字节的字符）
# `change` 说明该改什么。
at-once = { $n ->
    [1] 同一时刻应该只有 1 个下载在进行
   *[other] 应该有 { $n } 个下载同时进行
}，但同时进行的最多有 { $peak } 个：{ $change }
kept = 在最后一个网站开始下载之前，应该一直有 { $n } 个下载同时进行，但平均只有 { $average } 个：{ $change }
left-idle = 有 { $idle } 次，一个下载结束时还有网站等着请求，接下来的 50 毫秒里却没有请求任何网站：{ $change }
waves = 有 { $idle } 个下载是在没有任何下载进行时开始的，所以网站是一波一波开始的：{ $change }
# 当每一行都要等列表中排在前面的网站时，`order` 是 in-order。
line-late = { $site } 的那一行比本可以打印的时刻晚了 { $late } 毫秒：{ $order ->
    [in-order] 一旦这个网站和它之前的每个网站都完成，就打印它的那一行
   *[any] 每个网站的下载一结束，就打印它的那一行，不要等到全部结束
}
ended-late = 它在最后一个下载之后 { $seconds } 秒才结束：最后一个网站一完成（或彻底失败），就返回，之后不要再等
no-summary = 最后一行应该是 `{ $summary }S seconds`：让 main 打印它
wrong-exit-status = 它结束时是{ $ended }，但{ $failed ->
    [0] 没有网站失败
   *[other] 有 { $failed } 个网站失败了
}，所以退出状态应该是 { $code }：返回 recorder.finish() 给出的退出状态，它计入了 download_one 的错误

## 第 1 课的练习：一个接一个。

sequential-1-panicked = { $why }。有些网站会失败：为每个失败的网站打印 `Failed URL: reason`，然后接着下载下一个
list-order = 网站应该按列表的顺序下载，即 { $listed }，而不是 { $asked }
one-after-the-other = 在一个普通的循环里，一个接一个地下载网站
total-line = 最后一行应该是 `{ $line }`：这个模拟 Web 发送的大小之和，不算失败的页面。{ $printed }
no-total-line = 没有一行以 `Total: ` 开头
total-was = 它打印的是 `{ $last }`
too-many-attempts = 它对 { $path } 请求了 { $asked } 次：总共尝试 4 次之后就要停下
retried-404 = { $path } 应答了 404，却被请求了 { $asked } 次：404 下次也还是 404。只在 5xx 状态码（is_server_error）之后重试
flaky-tries = { $path } 先失败两次，然后才正常应答：它应该被请求 3 次，而不是 { $tries } 次
broken-tries = { $path } 总是失败：它总共应该被请求 4 次，而不是 { $asked } 次
first-retry-early = 对 { $path } 的第一次重试在失败的应答之后仅 { $wait } 就来了：重试之前要等 100 ms
first-retry-late = 对 { $path } 的第一次重试在失败的应答之后 { $wait } 才来：重试之前等 100 ms，不要更久
waits-grow = 等待的时间应该越来越长，每次加倍，但它们是 { $waits }
waited-after-giving-up = 对 { $path } 的最后一次尝试之后，它又等了 { $seconds } 秒：第 4 次尝试失败之后，立即放弃，之后不要再等

## 第 2 课的练习：线程。

threads-1-pool = 一个有 --workers（{ $n }）个线程的池，如果每个网站都交给它一个作业，就会同时运行 { $n } 个
threads-1-job-per-site = 每个网站交给池一个作业，让池去运行它们；一个线程做完后应该立即去取下一个网站，不要等其他线程
threads-2-all-at-once = 应该同时下载 { $count } 个页面，但最多只有 { $peak } 个：先为每个网站启动线程，再等待任何一个
threads-3-lock-held = 下载时还持有队列的锁吗？还是其他线程停下了？取出下一个 URL，释放锁，再下载，直到队列为空，不管前一个网站失败与否
threads-3-start-workers = 启动 --workers（{ $n }）个线程，每个线程都从队列中取下一个网站，直到队列为空，不管前一个失败与否
threads-3-next-at-once = 一个线程做完后应该立即从队列中取下一个网站，一次一个，直到队列为空，不管它的上一个网站失败与否
threads-3-from-the-back = 网站是从列表末尾开始取的：应该从开头按列表的顺序取（Vec::pop 取最后一个；VecDeque 的 pop_front 或迭代器的 next 取第一个）
threads-3-out-of-order = { $path } 是第 { $asked } 个被请求的网站，却是列表中的第 { $listed } 个：{ $change }
threads-3-rush = 用 { $threads } 个线程下载 { $pages } 个很快的页面时，{ $why }。取下一个网站必须在持有锁时一步完成（或用一次原子的 fetch_add），决不能先读再写回

## 第 4 课的练习：future 和它们的结果。

futures-1-submit-all = 有 6 个工作单元，却只请求了 { $all } 个网站中的 { $asked } 个：先提交每一个网站，再取最先到达的 3 个结果
futures-1-too-many = 它打印了 { $printed } 个结果：打印最先到达的 3 个，不要更多
futures-1-first-three = 最先到达的 3 个是 { $first }，它却打印了 { $printed }：结果一来就从通道里取，失败的也算
futures-1-waited = 它一直等到 { $path }（{ $ms } 毫秒）下载完才结束：最先的 3 个结果一到就返回
futures-2-submit-all = 先提交每一个网站，再等待第一个结果
futures-2-order = 各行应该按网站提交的顺序出现，即 { $submitted }，而不是 { $printed }
futures-3-count = 这个模拟 Web 让 { $failed } 个网站失败了（{ $kinds }），所以最后一行应该是 `{ $line }`，而不是 `{ $printed }`：每个 Err 都算，不管是什么错误

## 第 3 课的练习：rayon 的池和并行的工作。

processes-1-par-iter = 用 par_iter 在 rayon 的线程上下载
processes-1-global-pool = { $peak } 恰好是 rayon 全局池的线程数（每个 CPU 一个线程）：建一个有 --workers（{ $n }）个线程的池，并在 pool.install(|| ..) 里运行 par_iter，这样它才会在那个池上运行
processes-1-not-chunks = 建一个 --workers（{ $n }）个线程的池，install 它，并让每个网站成为一个任务：对网站做 par_iter，而不是对网站分成的块
processes-2-words = 按这些页面，应该打印 `{ $line }`，它却打印了 `{ $printed }`：{ $change }
processes-2-as-split = 按 count_line 的切分来数每个单词，不要修剪或改动：`web` 和 `web,` 是两个不同的单词
processes-2-own-split = 它找到了页面里没有的单词：用 count_line 切分每一行（split_whitespace，一个制表符或两个空格都算一个间隔），不要自己写切分
processes-2-fold-reduce = 先把每个线程的行 fold 起来，再用 reduce 合并所有线程的计数
processes-2-one-thread = 计数只让 { $helping } 个线程忙碌（用了 { $ms } 毫秒 CPU）：用 par_iter 和 par_lines 把这些行分给 rayon 的线程
# processes-3 的运行打印了什么，用于 `processes-3-printed`。
processes-3-no-lines = 除了下载的行和摘要行，什么也没有打印
processes-3-other-lines = 没有打印 `T threads: M ms` 这样的行，只打印了 { $others }
processes-3-lines-for = 只打印了线程数为 { $counts } 的行（{ $others }）
processes-3-printed = 使用 --workers { $n } 时，它{ $printed }：对从 1 到 { $n } 的每一个线程数，依次打印一行 `T threads: M ms`
processes-3-timed = `{ $line }` 出现在{ $threads ->
    [1] 最后一个下载结束
   *[other] 前一行
}之后 { $gap } 毫秒：打印 checksum 用 { $threads } 个线程花了多长时间，要算全部耗时，以毫秒计：之前用 Instant::now() 计时，之后用 elapsed()
processes-3-too-many = 在为 { $threads } 个线程的情形计时时，却有 { $busy } 个线程分担了工作：每一行都要新建一个恰好这么多线程的池，并在 pool.install 里做这份工作
processes-3-one-did = 在为 2 个或更多线程的情形计时时，只有 { $largest } 个线程在工作：依次在 1 个、2 个……线程的池里为 checksum 计时
processes-3-measure = 要检查的数据量变为 { $more } 倍时，工作花的时间变为 { $expected } 倍，打印的时间却变成了原来的 { $ratio } 倍：打印你实际测量到的时间

## 第 5 课的练习：异步任务。

async-workers-is = --workers 是 { $n }：{ $change }
async-1-hold-permit = 每个任务都应该持有一个许可，直到它的下载结束
async-1-hand-on = 一个任务做完后应该立即把许可交出去，不要等其他任务
async-2-next = buffer_unordered 在一个下载结束时就开始下一个网站，而不是等全部结束
async-3-still-running = 截止时间是 0.8 秒，它到 5 秒时还在运行：到截止时间时，停止所有仍在进行的下载
async-3-never-awaited = 在 0.5 秒内就能完成的 { $sites } 个网站一个也没有被请求，运行在 { $took } 秒后就结束了，早于截止时间：download_all 的 future 创建了，却从未运行。future 在被 .await 之前什么也不做：在 tokio::time::timeout(...) 后面加上 .await
async-3-thread-held = 在 0.5 秒内就完成的 { $sites } 个网站，一个也没有打印出它的行，运行在 { $took } 秒后才结束：有什么占住了运行时唯一的线程（比如 std::thread::sleep），让任何任务都无法继续。用 tokio::time 的 sleep 或 timeout 来等，它们会让下载在等待时继续进行
# `but` 是下面四条之一。
async-3-deadline = { $path } 应该在截止时间、即开始后 0.8 秒时被切断，但{ $but }：到截止时间时，停止所有仍在进行的下载
async-3-let-finish = 它一直下载到了结束
async-3-cut-late = 它在 { $at } 秒时才被切断：整个运行只有一个 0.8 秒的截止时间，从运行开始时算起
async-3-cut-at = 它在 { $at } 秒时被切断
async-3-never-cut = 它从未被切断
async-4-no-parse = 第一个页面到达后的 800 毫秒里（这时本应在解析它），程序最忙的线程只用了 { $busiest } 毫秒 CPU，而这台机器上一个忙碌的线程现在能用到 { $could } 毫秒：解析没有做任何工作。要真正调用 parse(size)，并放在 tokio::task::spawn_blocking 里
async-4-blocked = 解析第一个页面的时候，没有别的下载开始：解析阻塞了运行时唯一的线程。用 tokio::task::spawn_blocking 运行它，并 .await 它的句柄（阻塞地等待，比如 block_on，会像解析一样占住线程）
async-4-permit-kept = 解析第一个页面的时候，另外有两个下载同时在进行：它的任务应该一直持有许可直到解析完成，也就是 await spawn_blocking 的句柄
async-4-ended-early = 运行在第一个页面到达后 { $ms } 毫秒就结束了，它的解析（1 秒）还没有完成：await spawn_blocking 的句柄

## 每个检查的最后一步：把这次运行和参考答案的运行放在一起比较。

reference-status = 它结束时是{ $ended }，而参考答案在同一个模拟 Web 上结束时是{ $theirs }：按练习说明的方式结束，返回 recorder.finish() 给出的退出状态
reference-slower = 它用了 { $took } 秒，而参考答案在同一个模拟 Web 上用了 { $theirs } 秒：有什么在不必要地等待（网站一个接一个、一次 sleep、一个被占住的线程）
times = { $n } 次
never = 0 次
reference-never-prints = 这是参考答案不会打印的一行
reference-printed = 而参考答案打印了 { $times }
line-too-often = 它打印了 `{ $line }`{ $count ->
    [1] {""}
   *[other] { " " }{ $times }
}，{ $reference }（在同一个模拟 Web 上）：只打印练习要求的行，每行按练习规定的次数打印（其他的都用 eprintln! 写到 stderr）
never-did = 一次也没有打印
printed-it = 打印了 { $times }
line-too-rarely = 在同一个模拟 Web 上，参考答案打印了 `{ $line }` { $times }，但这个程序{ $yours }：打印练习要求的每一行
asked-unlike-reference = { $count ->
    [0] 它从未向模拟 Web 请求 { $path }
   *[other] 它向模拟 Web 请求 { $path } 共 { $yours }
}，而参考答案在同一个模拟 Web 上请求了 { $theirs }：按练习说的方式请求每个网站
