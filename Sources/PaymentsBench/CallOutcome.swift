/// How one operation ended.
enum CallOutcome: Sendable, Hashable {
    case succeeded
    /// DEADLINE_EXCEEDED, from the server or from the client's own deadline.
    case timedOut
    /// Any other status; `status` is the canonical name, `domainCode` empty for transport errors.
    case failed(status: String, domainCode: String)

    /// Key of the outcome in the counts by status: `OK`, `DEADLINE_EXCEEDED`, or `STATUS/DOMAIN_CODE`.
    var key: String {
        switch self {
        case .succeeded:
            "OK"
        case .timedOut:
            "DEADLINE_EXCEEDED"
        case .failed(let status, let domainCode):
            domainCode.isEmpty ? status : "\(status)/\(domainCode)"
        }
    }
}
