internal import PaymentsCommandLine
internal import PaymentsMessages
internal import PaymentsRPC
internal import RPCTransport

/// `payments watch`: prints events from a position and follows new ones until stopped.
struct WatchCommand {
    let text: Text
    let environment: [String: String]
    let output: Output

    func run(_ rawArguments: [String]) async throws(CLIFailure) {
        let arguments: CommandLineArguments
        do {
            arguments = try CommandLineArguments(
                rawArguments, options: CallSettings.optionNames.union(["order", "type", "after", "limit"]),
                flags: CallSettings.flagNames.union(["from-beginning", "from-live-end"]))
        } catch {
            throw .usage(CommandLineMessages.render(error, text: text))
        }
        let settings = try CallSettings(arguments: arguments, environment: environment, text: text)
        let request = try watchRequest(arguments)
        var limit = Int.max
        if let limitText = arguments.values["limit"] {
            guard let parsed = Int(limitText), parsed > 0 else {
                throw .usage(text.invalidValue("limit", limitText, text.expectedPositiveInteger))
            }
            limit = parsed
        }

        let client = ClientFactory.paymentClient(settings: settings)
        // A watch has no deadline: it follows the feed until stopped or --limit is reached.
        var options = settings.callOptions
        options.timeout = nil
        var printed = 0
        var lastPosition = request.afterPosition
        do {
            for try await event in client.watchEvents(request, options: options) {
                output.event(event, json: settings.json)
                lastPosition = event.position
                printed += 1
                if printed >= limit {
                    return
                }
            }
        } catch let error as RPCError {
            // A stalled or drained stream ends with the server's resume position, and the watch lines then
            // describe the whole failure. Otherwise the connection broke: the last printed event's position is
            // safe, if one was printed, and the error lines follow.
            if let resume = error.details["resume_after_position"].flatMap({ Int64($0) }) {
                for line in text.watchEnded(error, resumeAfter: resume, complete: true) {
                    printError(line)
                }
                throw .reported(error)
            }
            if printed > 0 {
                for line in text.watchEnded(error, resumeAfter: lastPosition, complete: false) {
                    printError(line)
                }
            }
            throw .rpc(error)
        } catch {
            throw .rpc(RPCError(code: .unknown, message: "\(error)"))
        }
    }

    private func watchRequest(_ arguments: CommandLineArguments) throws(CLIFailure) -> WatchEventsRequest {
        var request = WatchEventsRequest()
        let startOptions = ["from-beginning", "from-live-end", "after"].filter {
            arguments.isSet($0) || arguments.values[$0] != nil
        }
        if startOptions.count > 1 {
            throw .usage(text.conflictingOptions(startOptions[0], startOptions[1]))
        }
        if arguments.isSet("from-live-end") {
            request.startFrom = .liveEnd
        } else if let afterText = arguments.values["after"] {
            guard let position = Int64(afterText), position >= 0 else {
                throw .usage(text.invalidValue("after", afterText, text.expectedPosition))
            }
            request.startFrom = .position
            request.afterPosition = position
        } else {
            request.startFrom = .beginning
        }
        request.orderID = arguments.values["order"] ?? ""
        if let types = arguments.values["type"] {
            request.eventTypes = types.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        return request
    }
}
