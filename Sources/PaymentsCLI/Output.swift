internal import PaymentsMessages

#if canImport(Glibc)
    import Glibc
#endif

/// Prints results as readable tables or as JSON lines.
struct Output {
    let text: Text

    /// Prints one payment with its refunds, or `json` when given.
    func payment(_ payment: Payment?, json: [String: Any]?) {
        if let json {
            print(Formatting.jsonLine(json))
            return
        }
        guard let payment else {
            return
        }
        print(Formatting.table(headers: text.paymentHeaders, rows: [paymentRow(payment)]))
        printRefunds(payment.refunds)
        if payment.status == .failed {
            print(text.failure(code: payment.failureCode, message: payment.failureMessage))
        }
    }

    /// Prints an order's payments with the order's balance.
    func paymentList(_ response: ListPaymentsResponse, json: Bool) {
        if json {
            print(Formatting.jsonLine(response.protoJSONObject()))
            return
        }
        guard !response.payments.isEmpty else {
            print(text.noPayments)
            return
        }
        print(Formatting.table(headers: text.paymentHeaders, rows: response.payments.map(paymentRow)))
        let refunds = response.payments.flatMap(\.refunds)
        printRefunds(refunds)
        let total =
            response.orderTotalMinorUnits > 0
            ? Formatting.amount(response.orderTotalMinorUnits, currency: response.currency) : text.notGiven
        let paid = Formatting.amount(response.paidMinorUnits, currency: response.currency)
        print(text.orderSummary(currency: response.currency, total: total, paid: paid))
        if !response.nextPageToken.isEmpty {
            print(text.nextPage(response.nextPageToken))
        }
    }

    /// Prints one event on one line, or as a JSON object.
    func event(_ event: Event, json: Bool) {
        // Flush each event so that a pipe or file sees it as it arrives; fflush(nil) flushes standard output.
        defer { fflush(nil) }
        if json {
            print(Formatting.jsonLine(event.protoJSONObject()))
            return
        }
        var amount = Formatting.amount(event.amountMinorUnits, currency: event.currency)
        if event.type == "order.payment.refunded" {
            amount = Formatting.amount(event.refundAmountMinorUnits, currency: event.currency)
        }
        let cells = [
            String(event.position), event.type, event.orderID, event.paymentID,
            EnumNames.display(event.status.protoName, prefix: "PAYMENT_STATUS_"), amount,
            Formatting.amount(event.refundedMinorUnits, currency: event.currency),
            Formatting.time(unixMicros: event.occurredAtUnixMicros),
        ]
        print(cells.joined(separator: "  "))
    }

    private func paymentRow(_ payment: Payment) -> [String] {
        [
            payment.paymentID, payment.orderID, EnumNames.display(payment.status.protoName, prefix: "PAYMENT_STATUS_"),
            Formatting.amount(payment.amountMinorUnits, currency: payment.currency),
            Formatting.amount(payment.refundedMinorUnits, currency: payment.currency),
            EnumNames.display(payment.method.protoName, prefix: "PAYMENT_METHOD_"),
            EnumNames.display(payment.gateway.protoName, prefix: "GATEWAY_"),
            payment.gatewayPaymentID.isEmpty ? "-" : payment.gatewayPaymentID,
            Formatting.time(unixMicros: payment.createdAtUnixMicros),
        ]
    }

    private func printRefunds(_ refunds: [Refund]) {
        guard !refunds.isEmpty else {
            return
        }
        let rows = refunds.map { refund in
            [
                "  " + refund.refundID, refund.paymentID,
                Formatting.amount(refund.amountMinorUnits, currency: refund.currency),
                refund.reason.isEmpty ? "-" : refund.reason, Formatting.time(unixMicros: refund.createdAtUnixMicros),
            ]
        }
        print(Formatting.table(headers: text.refundHeaders, rows: rows))
    }
}
