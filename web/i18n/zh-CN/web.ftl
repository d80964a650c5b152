# `serve` 用中文说的话：每条消息与 ../en/web.ftl 中的同名，值也相同
# （有测试检查）。术语见 docs/po/glossary.md。

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
