import PaymentsDomain

/// The idempotency key of a mutating call and the scope it is unique in.
///
/// The store records the key with a fingerprint of the request and the response in the same transaction as
/// the change. Sending the same key and request again replays the stored response without new rows or events;
/// another request under the same key is `IDEMPOTENCY_KEY_REUSED`. Only committed calls are recorded, so a
/// call that failed with a domain error may be retried under its key. Keys are kept at least 24 hours.
public struct Idempotency: Sendable, Hashable {
    /// The caller's key, 1 to 255 visible ASCII characters.
    public let key: String
    /// Who called and which method, for example `checkout-service:/payments.v1.PaymentService/RefundPayment`;
    /// 1 to 255 visible ASCII characters. Two scopes never share keys.
    public let scope: String

    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` for an empty, too long or non-printable key or scope.
    public init(key: String, scope: String) throws(PaymentError) {
        try Validation.checkIdempotencyKey(key, field: "idempotency_key")
        try Validation.checkIdempotencyKey(scope, field: "idempotency_scope")
        self.key = key
        self.scope = scope
    }
}
