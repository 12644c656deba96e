import PaymentsLogging

extension BadTokenLimiter {
    /// Logs one warning with the summary counters when `takeSummary(now:)` returns one, and returns
    /// whether it logged. Call it after each failure or from a timer.
    @discardableResult
    public func logSummaryIfDue(to logger: Logger, now: Instant = .now) -> Bool {
        guard let summary = takeSummary(now: now) else {
            return false
        }
        logger.warning("rejected bearer tokens", metadata: summary.metadata)
        return true
    }
}
