internal import PaymentsDomain
internal import PaymentsLogging
internal import PaymentsMessages
internal import PaymentsStorage
internal import RPCTransport

/// Limits of one WatchEvents stream.
public struct EventWatchSettings: Sendable {
    /// A consumer that grants no credit for this long is ended with RESOURCE_EXHAUSTED and a resume position.
    public var stallTimeout: Duration
    /// Events read from the store per query.
    public var batchSize: Int
    /// Maximum sleep between reads when no wake-up arrives, a backstop for a lost notification.
    public var idleRecheckInterval: Duration

    public init(
        stallTimeout: Duration = .seconds(30), batchSize: Int = 256, idleRecheckInterval: Duration = .seconds(1)
    ) {
        self.stallTimeout = stallTimeout
        self.batchSize = batchSize
        self.idleRecheckInterval = idleRecheckInterval
    }
}

/// One WatchEvents stream: reads the outbox after a position and follows it live.
///
/// The stream keeps at most one batch of events in memory; the transport's credit window bounds what waits
/// in the connection's output. Positions are final when the store returns them, so resuming after the last
/// delivered position never skips an event.
struct EventWatch {
    let request: WatchEventsRequest
    let store: any PaymentStore
    let settings: EventWatchSettings
    let logger: Logger
    let types: Set<PaymentEventType>?
    let orderID: String?
    /// Returns false once the server drains, so that the watch ends with a resume position.
    let isServing: @Sendable () -> Bool

    init(
        request: WatchEventsRequest, store: any PaymentStore, settings: EventWatchSettings, logger: Logger,
        isServing: @escaping @Sendable () -> Bool = { true }
    ) throws(PaymentError) {
        self.isServing = isServing
        self.request = request
        self.store = store
        self.settings = settings
        self.logger = logger
        if request.eventTypes.isEmpty {
            types = nil
        } else {
            var parsed: Set<PaymentEventType> = []
            for name in request.eventTypes {
                parsed.insert(try PaymentEventType(parsing: name))
            }
            types = parsed
        }
        if request.orderID.isEmpty {
            orderID = nil
        } else {
            try Validation.checkOrderID(request.orderID)
            orderID = request.orderID
        }
    }

    func run(context: ServerCallContext, writer: RPCStreamWriter<Event>) async throws {
        // Subscribe before the first read, so that an event committed in between still wakes the loop.
        let wakeUp = WakeUp()
        let signal = store.newEventsSignal()
        let listener = Task {
            for await _ in signal {
                wakeUp.signal()
            }
            wakeUp.finish()
        }
        defer { listener.cancel() }
        var position = try await startPosition()

        while !context.isCancelled && !Task.isCancelled {
            let events = try await store.events(
                after: position, limit: settings.batchSize, orderID: orderID, types: types)
            for event in events {
                try await write(MessageConversion.event(event), writer: writer, resumeAfter: position)
                position = event.position
            }
            if events.count == settings.batchSize {
                continue
            }
            let open = await wakeUp.wait(upTo: settings.idleRecheckInterval)
            if !open || !isServing() {
                // The server drains or its store closed: end with a position the consumer can resume after.
                throw RPCError(
                    code: .unavailable, message: "the server is shutting down: resume after position \(position)",
                    details: ["resume_after_position": String(position)], isRetryable: true)
            }
        }
    }

    /// Position the stream starts after, checked against what the outbox still keeps.
    private func startPosition() async throws -> Int64 {
        switch request.startFrom {
        case .liveEnd:
            return try await store.lastPosition()
        case .position:
            guard request.afterPosition >= 0 else {
                throw PaymentError(
                    .invalidArgument, "after_position must be 0 or more, got \(request.afterPosition)",
                    details: ["field": "after_position"])
            }
            if let oldest = try await store.oldestRetainedPosition(), request.afterPosition < oldest - 1 {
                throw RPCError(
                    code: .outOfRange,
                    message: "position \(request.afterPosition) is older than the oldest retained event \(oldest): "
                        + "resume after position \(oldest - 1) or start from the beginning, and expect a gap",
                    domainCode: PaymentErrorCode.eventsExpired.rawValue,
                    details: ["oldest_position": String(oldest), "requested_position": String(request.afterPosition)])
            }
            return request.afterPosition
        default:
            return 0
        }
    }

    /// Writes one event, ending the stream when the consumer grants no credit within the stall timeout.
    private func write(_ event: Event, writer: RPCStreamWriter<Event>, resumeAfter position: Int64) async throws {
        let written = try await writer.write(event, creditTimeout: settings.stallTimeout)
        guard written else {
            logger.notice("event watcher stalled", metadata: ["events.resume_after": String(position)])
            throw RPCError(
                code: .resourceExhausted,
                message: "the watcher read no event for \(settings.stallTimeout): resume after position \(position)",
                details: ["resume_after_position": String(position)], isRetryable: true)
        }
    }
}
