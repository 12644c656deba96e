import PaymentsCommandLine
import Testing

@testable import PaymentsBench

@Suite("Bench report languages")
struct BenchReportLanguageTests {
    @Test("English closed-loop report")
    func englishClosedLoop() throws {
        let report = try ReportSamples.closedLoop(environment: ReportSamples.english)
        let expected: [String] = [
            "bench register-confirm against 127.0.0.1:7070: closed loop, 8 in flight over 8 connections, "
                + "10.00s after 1.00s warmup",
            "  operations  9870 in 10.00s: 9870 ok, 0 errors, 0 timeouts (812 more in the warmup)",
            "  rate        987/s, 987/s succeeded",
            "  latency     p50 7.83ms  p90 12.1ms  p99 19.6ms  p99.9 27.4ms  max 31.0ms  mean 8.10ms  (succeeded)",
            "  status      OK 9870",
        ]
        #expect(report.text().split(separator: "\n").map(String.init) == expected)
    }

    @Test("English open-loop report")
    func englishOpenLoop() throws {
        let report = try ReportSamples.openLoop(environment: ReportSamples.english)
        let expected: [String] = [
            "bench register against 127.0.0.1:7070: open loop at 500/s for 2.00s, then 1000/s for 2.00s, "
                + "at most 256 in flight over 1 connection, 4.00s after 0.00s warmup",
            "  operations  2950 in 4.00s: 2900 ok, 40 errors, 10 timeouts (0 more in the warmup)",
            "  rate        740/s of 750/s intended (98.7%), 727/s succeeded",
            "  latency     p50 1.50ms  p90 3.00ms  p99 6.20ms  p99.9 9.00ms  max 12.0ms  mean 2.00ms  (succeeded)",
            "  all         p50 1.60ms  p90 3.20ms  p99 250ms  p99.9 500ms  max 1.00s  mean 5.00ms  (failures included)",
            "  start delay max 800µs behind the schedule",
            "  step 1      500/s of 500/s, 1000 ok, 0 failed, p50 1.20ms, p99 2.50ms, max 4.00ms, start delay max 300µs",
            "  step 2      980/s of 1000/s, 1900 ok, 50 failed, p50 1.80ms, p99 9.10ms, max 1.00s, start delay max 800µs",
            "  status      OK 2900, FAILED_PRECONDITION/INVALID_STATE 40, DEADLINE_EXCEEDED 10",
            "  fail-if     p99>5ms: holds, run fails (measured 6.20ms)",
            "  fail-if     errors>100: does not hold (measured 40)",
        ]
        #expect(report.text().split(separator: "\n").map(String.init) == expected)
    }

    @Test("Spanish closed-loop report")
    func spanishClosedLoop() throws {
        let report = try ReportSamples.closedLoop(environment: ReportSamples.spanish)
        let expected: [String] = [
            "bench register-confirm contra 127.0.0.1:7070: bucle cerrado, 8 en curso entre 8 conexiones, "
                + "10.00s tras 1.00s de calentamiento",
            "  operaciones  9870 en 10.00s: 9870 correctas, 0 errores, 0 vencidas (812 más en el calentamiento)",
            "  ritmo        987/s, 987/s con éxito",
            "  latencia     p50 7.83ms  p90 12.1ms  p99 19.6ms  p99.9 27.4ms  max 31.0ms  mean 8.10ms  (con éxito)",
            "  estados      OK 9870",
        ]
        #expect(report.text().split(separator: "\n").map(String.init) == expected)
    }

    @Test("Spanish open-loop report")
    func spanishOpenLoop() throws {
        let report = try ReportSamples.openLoop(environment: ReportSamples.spanish)
        let expected: [String] = [
            "bench register contra 127.0.0.1:7070: bucle abierto a 500/s durante 2.00s, después 1000/s durante 2.00s, "
                + "como mucho 256 en curso en 1 conexión, 4.00s tras 0.00s de calentamiento",
            "  operaciones  2950 en 4.00s: 2900 correctas, 40 errores, 10 vencidas (0 más en el calentamiento)",
            "  ritmo        740/s de 750/s previstos (98.7%), 727/s con éxito",
            "  latencia     p50 1.50ms  p90 3.00ms  p99 6.20ms  p99.9 9.00ms  max 12.0ms  mean 2.00ms  (con éxito)",
            "  todas        p50 1.60ms  p90 3.20ms  p99 250ms  p99.9 500ms  max 1.00s  mean 5.00ms  (fallos incluidos)",
            "  retraso máximo de inicio 800µs respecto al calendario",
            "  escalón 1    500/s de 500/s, 1000 correctas, 0 fallidas, p50 1.20ms, p99 2.50ms, max 4.00ms, "
                + "retraso máximo de inicio 300µs",
            "  escalón 2    980/s de 1000/s, 1900 correctas, 50 fallidas, p50 1.80ms, p99 9.10ms, max 1.00s, "
                + "retraso máximo de inicio 800µs",
            "  estados      OK 2900, FAILED_PRECONDITION/INVALID_STATE 40, DEADLINE_EXCEEDED 10",
            "  fail-if      p99>5ms: se cumple, la ejecución falla (medido 6.20ms)",
            "  fail-if      errors>100: no se cumple (medido 40)",
        ]
        #expect(report.text().split(separator: "\n").map(String.init) == expected)
    }

    @Test("Spanish report keeps codes and metric names")
    func spanishKeepsCodes() throws {
        let text = try ReportSamples.openLoop(environment: ReportSamples.spanish).text()

        for kept in ["FAILED_PRECONDITION/INVALID_STATE", "DEADLINE_EXCEEDED", "OK 2900", "p99.9", "fail-if"] {
            #expect(text.contains(kept), "\(kept)")
        }
        for english in ["operations", "intended", "succeeded", "failures", "behind", "holds", "measured"] {
            #expect(!text.contains(english), "\(english)")
        }
    }

    @Test("JSON report identical in both languages")
    func jsonIgnoresLanguage() throws {
        let englishClosed = try ReportSamples.closedLoop(environment: ReportSamples.english)
        let spanishClosed = try ReportSamples.closedLoop(environment: ReportSamples.spanish)
        let englishOpen = try ReportSamples.openLoop(environment: ReportSamples.english)
        let spanishOpen = try ReportSamples.openLoop(environment: ReportSamples.spanish)

        #expect(spanishOpen.configuration.language == .spanish)
        #expect(englishOpen.configuration.language == .english)
        #expect(englishClosed.jsonText() == spanishClosed.jsonText())
        #expect(englishOpen.jsonText() == spanishOpen.jsonText())
        let json = spanishOpen.jsonText()
        #expect(json.contains("open-loop"))
        #expect(json.contains("FAILED_PRECONDITION/INVALID_STATE"))
        #expect(json.contains("p99>5ms"))
        #expect(!json.contains("bucle"))
        #expect(!json.contains("language"))
    }

    @Test(
        "progress line in each language",
        arguments: [
            (
                Language.english, true,
                "[   0.5s] warming up 120/s, 60 operations so far, 2 failed, 8 in flight"
            ),
            (
                .english, false,
                "[   3.0s] measuring 987/s, 2000 measured, 3 errors, 1 timeouts, 8 in flight, p99 19.6ms"
            ),
            (
                .spanish, true,
                "[   0.5s] calentando 120/s, 60 operaciones hasta ahora, 2 fallidas, 8 en curso"
            ),
            (
                .spanish, false,
                "[   3.0s] midiendo 987/s, 2000 medidas, 3 errores, 1 vencidas, 8 en curso, p99 19.6ms"
            ),
        ])
    func progressLine(language: Language, inWarmup: Bool, expected: String) {
        let text = BenchText(language: language)
        let line =
            inWarmup
            ? text.warmupProgress(elapsed: "   0.5s", rate: "120/s", operations: 60, failed: 2, inFlight: 8)
            : text.progress(
                elapsed: "   3.0s", rate: "987/s", measured: 2_000, errors: 3, timedOut: 1, inFlight: 8,
                p99: "19.6ms")
        #expect(line == expected)
    }
}
