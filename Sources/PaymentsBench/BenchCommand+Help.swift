import PaymentsCommandLine

extension BenchCommand {
    /// Builds the usage, options and examples of `payments bench` in `language`. Option names stay as typed.
    static func helpText(in language: Language) -> String {
        let text = BenchText(language: language)
        var lines =
            language == .spanish
            ? [
                "uso: payments bench [--scenario NOMBRE] [--concurrency N | --rate RITMO] [opciones]",
                "",
                "Carga el servidor con un escenario e imprime los percentiles de latencia (p50, p90, p99, p99.9, max,",
                "mean), el ritmo conseguido y los recuentos por estado y código de dominio. El bucle cerrado mantiene",
                "--concurrency operaciones en curso; el bucle abierto (--rate) las empieza según un calendario y mide",
                "la latencia desde el inicio previsto, así que un servidor que se para se ve en la cola. No hay",
                "reintentos: se cuenta cada fallo.",
                "",
                "opciones:",
            ]
            : [
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
            var name = "  --\(option.name) \(option.placeholder(in: language))"
            name += String(repeating: " ", count: max(1, width - name.count))
            let variable = option.variable.map { " [\($0)]" } ?? ""
            lines.append(name + option.help(in: language) + variable)
        }
        for flag in BenchConfiguration.flagDefinitions {
            let name = "  --\(flag.name)"
            let help = text.pick(flag.help, flag.spanishHelp)
            lines.append(name + String(repeating: " ", count: max(1, width - name.count)) + help)
        }
        lines += [
            "",
            text.pick("examples:", "ejemplos:"),
            "  payments bench --scenario health --connections 4 --concurrency 64 --duration 10s",
            "  payments bench --scenario register-confirm --rate 500:10s,1000:10s,2000:10s --json",
            "  payments bench --scenario refund --concurrency 8 --requests 20000 --fail-if 'p99>20ms,errors>0'",
            "",
        ]
        lines +=
            language == .spanish
            ? [
                "código de salida: 0 terminado, 1 se cumple una condición de --fail-if, 2 línea de comandos o token",
                "incorrectos, 3 falló la preparación o ninguna operación tuvo éxito, 130 interrumpido con Ctrl-C",
                "(el informe cubre lo que se hizo; otro Ctrl-C sale sin informe).",
                "La salida de --json es la misma en cualquier idioma.",
            ]
            : [
                "exit status: 0 done, 1 a --fail-if condition holds, 2 bad command line or token,",
                "3 setup failed or no operation succeeded, 130 stopped with Ctrl-C (the report covers what ran;",
                "a second Ctrl-C quits without one).",
            ]
        return lines.joined(separator: "\n")
    }
}
