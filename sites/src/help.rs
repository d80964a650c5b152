//! The lessons' `--help` in Chinese, for a system that reads Chinese. A
//! lesson says its help in English, in the doc comments beside its code, and
//! builds no translations (`web`'s `speak`), so the Chinese is here: by
//! program and by what it names, as [`web::cli::with_help`] asks for it. A
//! program, option or variant not here keeps its English; each lesson's
//! tests find nothing of theirs missing.

/// `command`, its help said in Chinese.
pub(crate) fn in_chinese(command: clap::Command) -> clap::Command {
    let program = command.get_name().to_string();
    let said = move |id: &str| chinese(&program, id).map(String::from);
    let command = match said("about") {
        Some(about) => command.about(about),
        None => command,
    };
    web::cli::with_help(command, said)
}

/// The Chinese of `id` for `program`: its own, else every program's.
fn chinese(program: &str, id: &str) -> Option<&'static str> {
    let find =
        |of: &str| CHINESE.iter().find(|(who, what, _)| *who == of && *what == id);
    let found = find(program).or_else(|| find("*")).map(|(_, _, text)| *text);
    found.or_else(|| web::cli::web_args_in_chinese(id))
}

/// Each text: for which program (`*` for all), what it says (see
/// [`web::cli::with_help`]; `about` is the program's blurb), and the Chinese.
#[rustfmt::skip]
const CHINESE: &[(&str, &str, &str)] = &[
    // Clap's own words.
    ("*", "usage", "用法:"),
    ("*", "arguments", "参数"),
    ("*", "options", "选项"),
    ("*", "default", "默认"),
    ("*", "possible", "可选值"),
    ("*", "arg-help", "显示帮助"),
    // The options every lesson takes: `sites::Args` (and `web::cli::WebArgs`,
    // whose Chinese is `web::cli::web_args_in_chinese`).
    ("*", "arg-online", "通过互联网下载笔记中的 12 个真实网站"),
    ("*", "arg-urls", "下载 FILE 中列出的 URL，每行一个（跳过空行和 # 注释），或者 URL 处的列表，例如课堂的 http://HOST:8000/urls.txt"),
    ("*", "arg-name", "你在课堂页面上的名字，当 URL 来自课堂的 `serve` 时使用；不会发给任何其他服务器"),
    ("*", "arg-timeout", "一个网站超过 SECS 秒（包括读取正文）就放弃（0.001 到 3600）"),
    ("*", "arg-max_bytes", "拒绝大于 N 字节的页面（最多 268435456，即同时持有的页面的内存预算）"),
    ("*", "arg-timeline", "运行之后，按工作单元画出每个网站何时开始、何时结束"),
    ("*", "arg-json", "把这次运行的 JSON 报告写到 FILE：每个网站的时间、工作单元和大小"),
    // Lesson 1.
    ("ch01-sequential", "about", "第 1 课：一个接一个地下载网站，就像笔记的 2.1 节（笔记：2.80 s）"),
    // Lesson 2, and the cost of a thread.
    ("ch02-threads", "about", "第 2 课：用线程池下载网站，就像笔记的 2.2 节"),
    ("ch02-threads", "arg-workers", "线程池有几个线程：ThreadPoolExecutor 的 max_workers"),
    ("ch02-threads", "arg-variant", "download_all 怎样分发网站"),
    ("ch02-threads", "value-pool", "由 --workers 个线程组成的池轮流取网站，就像 ThreadPoolExecutor（笔记：1.04 s）"),
    ("ch02-threads", "value-scoped", "每个网站一个线程，用 std::thread::scope，没有池"),
    ("thread-cost", "about", "比较为 N 个任务各启动并等待一个线程，和在一个复用的池上运行 N 个任务各要多久，并测量活着但在等待的线程占多少内存"),
    ("thread-cost", "arg-jobs", "每种方式运行几个任务"),
    ("thread-cost", "arg-workers", "线程池保持几个线程"),
    ("thread-cost", "arg-alive", "为了测内存，同时让几个等待的线程活着"),
    // Lesson 3, and its word count.
    ("ch03-processes", "about", "第 3 课：用进程池或 rayon 下载网站，就像笔记的 2.3 节"),
    ("ch03-processes", "arg-workers", "几个工作进程，或几个 rayon 线程（默认：每个 CPU 一个）"),
    ("ch03-processes", "arg-variant", "download_all 怎样分发网站"),
    ("ch03-processes", "value-pool", "工作进程，默认每个 CPU 一个，就像 ProcessPoolExecutor（笔记：1.65 s）"),
    ("ch03-processes", "value-rayon", "rayon 的 par_iter，在 --workers 个线程的池上，默认每个 CPU 一个"),
    ("mapreduce", "about", "下载这些页面，然后在一个线程上、再用 rayon 统计它们的词数"),
    ("mapreduce", "arg-workers", "rayon 用几个线程统计（默认：每个 CPU 一个）"),
    // Lesson 4.
    ("ch04-futures", "about", "第 4 课：把每个网站提交给线程池，然后在结果完成时取出它们，就像笔记的第 3 节"),
    ("ch04-futures", "arg-workers", "线程池有几个线程：ThreadPoolExecutor 的 max_workers"),
    ("ch04-futures", "arg-variant", "main 按什么顺序取结果"),
    ("ch04-futures", "value-as-completed", "按下载完成的顺序取结果，就像 as_completed（笔记：1.37 s）"),
    ("ch04-futures", "value-in-order", "按提交网站的顺序取结果"),
    // Lesson 5.
    ("ch05-async", "about", "第 5 课：在一个线程上把网站作为异步任务下载，任务只在 .await 处切换，就像 asyncio"),
    ("ch05-async", "arg-workers", "同时进行几个下载（默认：全部）"),
    ("ch05-async", "arg-variant", "第一个网站的任务在下载之后做什么"),
    ("ch05-async", "value-tasks", "每个网站一个任务；同时最多 --workers 个下载"),
    ("ch05-async", "value-blocking", "一个任务在下载之后把线程阻塞一秒：其他任务都停住"),
    ("ch05-async", "value-spawn-blocking", "同样的阻塞工作，用 spawn_blocking 移出这个线程"),
];
