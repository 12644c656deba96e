import Foundation
import PaymentsDomain

/// A call result stored as JSON with its idempotency key and returned again on replay.
///
/// ``writeJSON(to:)`` produces the text `JSONEncoder` with `.sortedKeys` would, so rows written before and
/// after the writer replaced the encoder read back the same way through `Decodable`. Each conformance writes
/// its coding keys in ascending byte order and every property, because the synthesized decoder requires
/// every key. None of the stored types has an optional property. One added later must be left out when nil,
/// as `encodeIfPresent` does.
protocol StoredResponse: Decodable {
    func writeJSON(to writer: inout ResponseJSONWriter)
}

extension StoredResponse {
    /// The JSON text stored with the idempotency key.
    var storedJSON: String {
        // A payment without refunds takes about 350 bytes and each refund about 200 more, so 1 KiB covers
        // most responses in one allocation.
        var writer = ResponseJSONWriter(capacity: 1024)
        writeJSON(to: &writer)
        return writer.text
    }

    /// Decodes a response stored by ``storedJSON`` or by the `JSONEncoder` it replaced.
    static func decodeStoredJSON(_ text: String) throws -> Self {
        try JSONDecoder().decode(Self.self, from: Data(text.utf8))
    }
}

extension Payment: StoredResponse {
    func writeJSON(to writer: inout ResponseJSONWriter) {
        writer.beginObject()
        writer.writeField("amountMinorUnits", amountMinorUnits)
        writer.writeField("confirmedAtMicros", confirmedAtMicros)
        writer.writeField("createdAtMicros", createdAtMicros)
        writer.writeField("currency", currency)
        writer.writeField("failedAtMicros", failedAtMicros)
        writer.writeField("failureCode", failureCode)
        writer.writeField("failureMessage", failureMessage)
        writer.writeField("gateway", gateway.rawValue)
        writer.writeField("gatewayPaymentID", gatewayPaymentID)
        writer.writeField("method", method.rawValue)
        writer.writeField("orderID", orderID)
        writer.writeField("paymentID", paymentID)
        writer.writeField("refundedMinorUnits", refundedMinorUnits)
        writer.writeKey("refunds")
        writer.writeArray(refunds) { writer, refund in refund.writeJSON(to: &writer) }
        writer.writeField("status", status.rawValue)
        writer.endObject()
    }
}

extension Refund {
    /// Writes the refund as one object of a stored payment's `refunds` or of a stored ``RefundOutcome``.
    func writeJSON(to writer: inout ResponseJSONWriter) {
        writer.beginObject()
        writer.writeField("amountMinorUnits", amountMinorUnits)
        writer.writeField("createdAtMicros", createdAtMicros)
        writer.writeField("currency", currency)
        writer.writeField("orderID", orderID)
        writer.writeField("paymentID", paymentID)
        writer.writeField("reason", reason)
        writer.writeField("refundID", refundID)
        writer.endObject()
    }
}

extension RefundOutcome: StoredResponse {
    func writeJSON(to writer: inout ResponseJSONWriter) {
        writer.beginObject()
        writer.writeKey("payment")
        payment.writeJSON(to: &writer)
        writer.writeKey("refund")
        refund.writeJSON(to: &writer)
        writer.endObject()
    }
}
