import PaymentsCommandLine

/// The operation each measured call performs.
public enum BenchScenario: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Health.Check`: the transport and dispatch only, no store.
    case health
    /// `RegisterPayment` of a new order.
    case register
    /// `RegisterPayment` then `ConfirmPayment` of a new order, timed as one operation.
    case registerConfirm = "register-confirm"
    /// `RefundPayment` of 1 minor unit from payments confirmed before the measured phase.
    case refund
    /// `ListPayments` of orders that have payments, registered before the measured phase.
    case list
    /// A weighted mix of the other scenarios, set with `--mix`.
    case mixed
}

/// Weights of the scenarios that a mixed run draws from, such as `register-confirm=40,refund=20,list=30,health=10`.
public struct ScenarioMix: Sendable, Equatable, Codable {
    /// Scenario and weight pairs in the order given; weights are above 0.
    public var weights: [Entry]

    /// One scenario of the mix and its weight.
    public struct Entry: Sendable, Equatable, Codable {
        public var scenario: BenchScenario
        public var weight: Int
    }

    /// The mix used when `--mix` is absent.
    public static let standard = ScenarioMix(weights: [
        Entry(scenario: .registerConfirm, weight: 40), Entry(scenario: .refund, weight: 20),
        Entry(scenario: .list, weight: 30), Entry(scenario: .health, weight: 10),
    ])

    public init(weights: [Entry]) {
        self.weights = weights
    }

    /// Parses `--mix`: comma-separated `SCENARIO=WEIGHT` pairs of the non-mixed scenarios.
    ///
    /// - Throws: `BenchError.invalidOption` naming `--mix` and the pair that does not parse, in `language`.
    public static func parse(_ text: String, language: Language = .english) throws(BenchError) -> ScenarioMix {
        let names = BenchScenario.allCases.filter { $0 != .mixed }.map(\.rawValue).joined(separator: ", ")
        let words = BenchText(language: language)
        let expected = words.expectedMix(scenarios: names)
        var entries: [Entry] = []
        for part in text.split(separator: ",") {
            let fields = part.split(separator: "=")
            guard fields.count == 2, let scenario = BenchScenario(rawValue: fields[0].trimmingWhitespace()),
                scenario != .mixed
            else {
                throw .invalidOption(name: "mix", value: String(part), expected: expected, language: language)
            }
            guard let weight = Int(fields[1].trimmingWhitespace()), weight > 0, weight <= 1_000_000 else {
                throw .invalidOption(
                    name: "mix", value: String(part), expected: words.expectedMixWeight, language: language)
            }
            guard !entries.contains(where: { $0.scenario == scenario }) else {
                throw .invalidOption(
                    name: "mix", value: text, expected: words.mixScenarioOnce(scenario.rawValue), language: language)
            }
            entries.append(Entry(scenario: scenario, weight: weight))
        }
        guard !entries.isEmpty else {
            throw .invalidOption(name: "mix", value: text, expected: expected, language: language)
        }
        return ScenarioMix(weights: entries)
    }

    /// Scenarios with a weight, each once.
    public var scenarios: [BenchScenario] { weights.map(\.scenario) }

    /// Picks the scenario for a draw `ticket` in `0..<totalWeight`; callers pass a random or rotating ticket.
    public func scenario(forTicket ticket: Int) -> BenchScenario {
        var remaining = ticket % totalWeight
        for entry in weights {
            if remaining < entry.weight {
                return entry.scenario
            }
            remaining -= entry.weight
        }
        return weights[weights.count - 1].scenario
    }

    /// Sum of the weights.
    public var totalWeight: Int { weights.reduce(0) { $0 + $1.weight } }
}
