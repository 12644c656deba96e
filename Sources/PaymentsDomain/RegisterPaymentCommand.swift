/// A validated request to register a pending payment.
///
/// The initializer runs every check that needs no stored state; the store checks the order's balance.
public struct RegisterPaymentCommand: Sendable, Hashable {
    public let orderID: String
    public let method: PaymentMethod
    public let amountMinorUnits: Int64
    public let currency: Currency
    /// The method's gateway, derived when the caller sent none.
    public let gateway: Gateway
    public let gatewayPaymentID: String
    /// Order total the caller sent; nil when not given (0 on the wire).
    public let orderTotalMinorUnits: Int64?

    /// Validates the fields of a register request.
    ///
    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` (order id, gateway, gateway payment id), `INVALID_AMOUNT`
    ///   (amount or total not above 0 or above ``Money/maximumMinorUnits``), `INVALID_CURRENCY`.
    public init(
        orderID: String, method: PaymentMethod, amountMinorUnits: Int64, currencyCode: String,
        gateway: Gateway? = nil, gatewayPaymentID: String = "", orderTotalMinorUnits: Int64? = nil
    ) throws(PaymentError) {
        try Validation.checkOrderID(orderID)
        try Money.validate(amountMinorUnits, field: "amount_minor_units")
        self.currency = try Currency(code: currencyCode)
        self.gateway = try Gateway.resolve(method: method, requested: gateway)
        try Validation.checkGatewayPaymentID(gatewayPaymentID, method: method)
        if let orderTotalMinorUnits {
            try Money.validate(orderTotalMinorUnits, field: "order_total_minor_units")
        }
        self.orderID = orderID
        self.method = method
        self.amountMinorUnits = amountMinorUnits
        self.gatewayPaymentID = gatewayPaymentID
        self.orderTotalMinorUnits = orderTotalMinorUnits
    }

    /// Canonical text of the request, stored with an idempotency key to tell a replay from a different request.
    public var fingerprint: String {
        Fingerprint.make([
            "register", orderID, method.rawValue, String(amountMinorUnits), currency.code, gateway.rawValue,
            gatewayPaymentID, orderTotalMinorUnits.map { String($0) } ?? "",
        ])
    }
}

/// Builds unambiguous canonical text from request fields by prefixing each with its length.
enum Fingerprint {
    /// Returns `count:field` for each field, joined by `|`. Stored keys hold this text, so it never changes.
    static func make(_ fields: [String]) -> String {
        // Built as bytes, because appending to a String runs about twice the instructions and this runs on every
        // write.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(fields.count * 5) { $0 + $1.utf8.count })
        for field in fields {
            if !bytes.isEmpty {
                bytes.append(UInt8(ascii: "|"))
            }
            bytes.append(contentsOf: String(field.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            field.withUTF8Bytes { bytes.append(contentsOf: $0) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
