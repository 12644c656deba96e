import PaymentsDomain

/// Column lists shared by both stores' queries, and the decoders of the rows they return.
enum StoredColumns {
    static let payment = """
        payment_id, order_id, status, amount_minor_units, currency, method, gateway, gateway_payment_id, \
        refunded_minor_units, failure_code, failure_message, created_at_micros, confirmed_at_micros, failed_at_micros
        """

    static let refund = "refund_id, payment_id, order_id, amount_minor_units, currency, reason, created_at_micros"

    static let event = """
        event_id, type, position, occurred_at_micros, order_id, payment_id, status, amount_minor_units, currency, \
        refund_id, refund_amount_minor_units, refunded_minor_units, failure_code
        """

    /// Columns written by an event insert: the event columns without `position`.
    static let eventInsert = """
        event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units, currency, \
        refund_id, refund_amount_minor_units, refunded_minor_units, failure_code
        """

    static let order = "order_id, currency, total_minor_units, paid_minor_units"

    static func eventInsertValues(_ event: PaymentEvent) -> [DatabaseValue] {
        [
            .text(event.eventID), .text(event.type.rawValue), .integer(event.occurredAtMicros), .text(event.orderID),
            .text(event.paymentID), .text(event.status.rawValue), .integer(event.amountMinorUnits),
            .text(event.currency), .text(event.refundID), .integer(event.refundAmountMinorUnits),
            .integer(event.refundedMinorUnits), .text(event.failureCode),
        ]
    }

    static func decodePayment(_ row: DatabaseRow) throws -> Payment {
        Payment(
            paymentID: row.text(0), orderID: row.text(1), status: try row.enumeration(2, as: PaymentStatus.self),
            amountMinorUnits: try row.integer(3), currency: row.text(4),
            method: try row.enumeration(5, as: PaymentMethod.self), gateway: try row.enumeration(6, as: Gateway.self),
            gatewayPaymentID: row.text(7), refundedMinorUnits: try row.integer(8), failureCode: row.text(9),
            failureMessage: row.text(10), createdAtMicros: try row.integer(11), confirmedAtMicros: try row.integer(12),
            failedAtMicros: try row.integer(13))
    }

    static func decodeRefund(_ row: DatabaseRow) throws -> Refund {
        Refund(
            refundID: row.text(0), paymentID: row.text(1), orderID: row.text(2), amountMinorUnits: try row.integer(3),
            currency: row.text(4), reason: row.text(5), createdAtMicros: try row.integer(6))
    }

    static func decodeEvent(_ row: DatabaseRow) throws -> PaymentEvent {
        PaymentEvent(
            eventID: row.text(0), type: try row.enumeration(1, as: PaymentEventType.self), position: try row.integer(2),
            occurredAtMicros: try row.integer(3), orderID: row.text(4), paymentID: row.text(5),
            status: try row.enumeration(6, as: PaymentStatus.self), amountMinorUnits: try row.integer(7),
            currency: row.text(8), refundID: row.text(9), refundAmountMinorUnits: try row.integer(10),
            refundedMinorUnits: try row.integer(11), failureCode: row.text(12))
    }

    static func decodeOrder(_ row: DatabaseRow) throws -> OrderBalance {
        OrderBalance(
            orderID: row.text(0), currency: row.text(1), totalMinorUnits: try row.optionalInteger(2),
            paidMinorUnits: try row.integer(3))
    }
}
