import Foundation
import PaymentsBench
internal import PaymentsCommandLine
internal import RPCTransport

#if canImport(Glibc)
    import Glibc
#endif

// `payments`: the command-line client of the payments service.
signal(SIGPIPE, SIG_IGN)
let environment = ProcessInfo.processInfo.environment
let text = Text(language: Language(environment: environment))
let arguments = Array(CommandLine.arguments.dropFirst())
let output = Output(text: text)

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func run() async throws(CLIFailure) {
    guard let command = arguments.first else {
        print(HelpText.text(for: text.language), terminator: "")
        throw .usage(text.missingCommand)
    }
    let rest = Array(arguments.dropFirst())
    switch command {
    case "help", "--help", "-h":
        print(HelpText.text(for: text.language), terminator: "")
    case "version", "--version":
        guard rest.isEmpty else {
            throw .usage(text.unexpectedArguments(command, rest))
        }
        print("payments \(PaymentsVersion.current)")
    case _ where PaymentCommands.names.contains(command):
        // Ctrl-C during a write leaves its outcome unknown, so the CLI prints a warning instead of ending silently.
        let interrupt = PaymentCommands.writeNames.contains(command) ? watchInterrupt(text.interruptedWrite) : nil
        defer { interrupt?.cancel() }
        try await PaymentCommands(text: text, environment: environment, output: output).run(command, rest)
    case "watch":
        try await WatchCommand(text: text, environment: environment, output: output).run(rest)
    case "health":
        try await HealthCommand(text: text, environment: environment).run(rest)
    case "token":
        try TokenCommands(text: text, environment: environment).run(rest)
    case "bench":
        exit(await BenchCommand.run(arguments: rest, environment: environment))
    default:
        throw .usage(text.unknownCommand(command))
    }
}

/// Prints `message` on standard error and exits with status 130 at Ctrl-C, until the returned watch is cancelled.
func watchInterrupt(_ message: String) -> InterruptWatch {
    InterruptWatch {
        printError("\n" + message)
        exit(130)
    }
}

/// Runs the command and exits with its status.
func runAndExit() async -> Never {
    do {
        try await run()
        exit(ExitStatus.success.rawValue)
    } catch {
        switch error {
        case .usage(let message), .localFile(let message):
            printError(message.hasPrefix("error:") ? message : "error: " + message)
        case .notServing(let status):
            printError(text.notServing(status))
        case .reported:
            break
        case .rpc(let rpcError):
            let keyPassed = CallSettings.idempotencyKeyPassed.load(ordering: .relaxed)
            for line in text.errorLines(for: rpcError, command: arguments.first ?? "", keyPassed: keyPassed) {
                printError(line)
            }
        }
        exit(error.exitStatus.rawValue)
    }
}

// The command runs in a task while the main thread waits. An async main would run `dispatch_main` on this
// thread, and valgrind 3.19 (Debian 12) crashes in it, so callgrind could not profile the bench client
// (scripts/bench/callgrind.sh).
Task.detached {
    await runAndExit()
}
while true {
    pause()
}
