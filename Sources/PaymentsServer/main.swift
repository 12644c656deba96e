internal import CSystemShim
import Foundation
import PaymentsCommandLine
import PaymentsLogging
import PaymentsService

#if canImport(Glibc)
    import Glibc
#endif

// `payments-server`: serves the payments RPC protocol until SIGTERM or SIGINT.
signal(SIGPIPE, SIG_IGN)
// Files the server creates (the SQLite database and its journal, token files) are readable by its user only.
umask(0o077)
// glibc gives freed memory of its per-thread arenas back to the kernel with madvise as soon as 128 KiB are
// free, and the next allocation faults the pages in again. Under load that churn cost about a sixth of the
// server's CPU time; keeping up to 64 MiB of free memory per arena avoids it.
_ = csystem_set_malloc_trim_threshold(64 << 20)

let options: ServerOptions
do {
    let arguments = try CommandLineArguments(
        Array(CommandLine.arguments.dropFirst()), options: ServerOptions.optionNames, flags: ["help", "version"])
    if arguments.isSet("help") {
        print(ServerOptions.helpText, terminator: "")
        exit(0)
    }
    if arguments.isSet("version") {
        print("payments-server \(PaymentsVersion.current)")
        exit(0)
    }
    if let extra = arguments.positional.first {
        throw CommandLineError.unknownOption(extra)
    }
    options = try ServerOptions(arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("payments-server: \(error)\n".utf8))
    exit(2)
}

let logger = Logger(label: "payments.server", level: options.logLevel, sink: .standardError(format: options.logFormat))
// The server runs in a task while the main thread waits. An async main would run `dispatch_main` on this
// thread, and valgrind 3.19 (Debian 12) crashes in it, so callgrind could not profile the server
// (scripts/bench/callgrind.sh).
Task.detached {
    exit(await ServerRunner(options: options, logger: logger).run())
}
while true {
    pause()
}
