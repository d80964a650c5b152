# `serve` 用中文说的话：每条消息与 ../en/web.ftl 中的同名，值也相同
# （有测试检查）。术语见 docs/po/glossary.md。

## `--help`：serve 是什么，每个选项，以及客户端能让它保留多少。
## （它和各课共有的选项，在 `web::cli` 里说。）

help-about = 提供模拟 Web，直到被中断，并打印每个页面的 URL
help-usage = 用法:
help-options = 选项
help-default = 默认
help-arg-help = 显示帮助
help-arg-port = 监听的端口；0 表示让系统挑一个空闲的
help-arg-host = 监听的地址：0.0.0.0 表示在这台机器所在的每个网络上为课堂提供服务，或者这台机器的某一个地址
help-arg-quiet = 不在 stderr 上记录每个请求
help-arg-connections = 同时打开的最多连接数（默认：这个进程能打开的文件数减去 64，最多 8192）
help-arg-per_address = 一个地址同时最多能保持的连接数；同一个地址后面的一间教室共用它们（默认：--connections 的八分之一）
help-budgets =
    无论客户端发送什么、留下什么不读，客户端能让 serve 保留的东西都有上限，内存总共 { $memory } MiB：
      - 记录下来的请求路径最多 { $path } 字节（更长的会被截断，以 … 结尾），名字最多 64 个字符
      - 请求的记录最多 { $record } MiB，最早的先丢弃
      - 课堂页面最多 100 次运行，每次画 2000 个请求，共 { $class } MiB
      - 一次运行的摘要最多 { $summary } KiB（更大的以 413 拒绝）
      - 一次检查的结论最多 { $verdict } KiB，为 { $students } 个学生的 { $exercises } 个练习各保留最新的一条，消息最多一行 { $message } 个字符
      - 请求的头部和正文最多 { $headers } s；没人读的应答最多 { $unread } s
      - 连接数最多 --connections 个，每个 { $connection } KiB，总共最多 { $connections } MiB；一个地址最多 --per-address 个

## 开始服务之前：系统的限制。

too-little-space = 错误：无论客户端做什么，serve 最多占用 { $holds } MiB，需要 { $needs } MiB 的地址空间，但这个系统只允许它使用 { $allowed } MiB：用 `{ $command }` 或更大的值提高限制
too-few-files = 注意：这个进程最多能打开 { $files } 个文件，所以 serve 同时最多保持 { $connections } 个连接（来自同一个地址的最多 { $per_address } 个），而 30 人的课堂在同一个地址后面运行第 5 课，大约需要 { $class } 个：在启动 serve 之前，用 `ulimit -n 4096` 提高限制
error = 错误：{ $error }
cannot-serve = 错误：无法在 { $addr } 上提供服务：{ $error }
not-an-address = 不是 IP 地址，例如 0.0.0.0 或 192.168.1.5

## 课堂在哪里找到它。

serving = 正在 { $root } 提供 { $pages } 个页面，直到按下 Ctrl-C。
no-network = 这台机器不在任何网络上：只有它自己的程序能访问它，地址是 http://127.0.0.1:{ $port }/。
other-machines = 其他机器可以通过以下任一地址访问它：
class-page = 在浏览器中，{ $root } 就是课堂页面：这个模拟 Web 上的每次运行，实时显示。
students-run = 学生运行：cargo run -p ch02-threads -- --urls { $root }urls.txt --name 名字
faults = 故意失败的页面，供实验用：

## 停止的时候。

stopped = 收到 { $signal }，已停止，共处理了 { $served } 个请求。
no-ctrl-c = 错误：无法等待 Ctrl-C：{ $error }
