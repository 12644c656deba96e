extension BenchCommand {
    /// Usage, options and examples of `payments bench`.
    static var helpText: String {
        var lines = [
            "usage: payments bench [--scenario NAME] [--concurrency N | --rate RATE] [options]",
            "",
            "Loads the server with one scenario and prints latency percentiles (p50, p90, p99, p99.9, max, mean),",
            "the achieved rate and counts by status and domain code. Closed loop keeps --concurrency operations in",
            "flight; open loop (--rate) starts them on schedule and measures latency from the intended start, so a",
            "stalled server shows in the tail. Retries are off: every failure is counted.",
            "",
            "options:",
        ]
        let width = 34
        for option in BenchConfiguration.optionDefinitions {
            var name = "  --\(option.name) \(option.placeholder)"
            name += String(repeating: " ", count: max(1, width - name.count))
            let variable = option.variable.map { " [\($0)]" } ?? ""
            lines.append(name + option.help + variable)
        }
        for flag in BenchConfiguration.flagDefinitions {
            let name = "  --\(flag.name)"
            lines.append(name + String(repeating: " ", count: max(1, width - name.count)) + flag.help)
        }
        lines += [
            "",
            "examples:",
            "  payments bench --scenario health --connections 4 --concurrency 64 --duration 10s",
            "  payments bench --scenario register-confirm --rate 500:10s,1000:10s,2000:10s --json",
            "  payments bench --scenario refund --concurrency 8 --requests 20000 --fail-if 'p99>20ms,errors>0'",
            "",
            "exit status: 0 done, 1 a --fail-if condition holds, 2 bad command line or token,",
            "3 setup failed or no operation succeeded.",
        ]
        return lines.joined(separator: "\n")
    }
}
