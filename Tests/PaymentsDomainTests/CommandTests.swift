import Testing

@testable import PaymentsDomain

@Suite("Commands and validation")
struct CommandTests {
    @Test("gateway derived from method", arguments: PaymentMethod.allCases)
    func derivedGateway(method: PaymentMethod) throws {
        let command = try RegisterPaymentCommand(
            orderID: "ord-1", method: method, amountMinorUnits: 100, currencyCode: "USD",
            gatewayPaymentID: method == .card ? "pi_123" : "")

        #expect(command.gateway == method.gateway)
    }

    @Test("mismatched gateway names both")
    func mismatchedGateway() {
        let error = #expect(throws: PaymentError.self) {
            try RegisterPaymentCommand(
                orderID: "o", method: .cash, amountMinorUnits: 100, currencyCode: "USD", gateway: .stripe)
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("stripe") == true)
        #expect(error?.message.contains("cash") == true)
    }

    @Test("card needs gateway payment id")
    func cardNeedsGatewayID() {
        let error = #expect(throws: PaymentError.self) {
            try RegisterPaymentCommand(orderID: "o", method: .card, amountMinorUnits: 100, currencyCode: "USD")
        }

        #expect(error?.details["field"] == "gateway_payment_id")
    }

    @Test("rejected value escapes control characters")
    func rejectedValueEscaped() {
        let error = #expect(throws: PaymentError.self) {
            try RegisterPaymentCommand(
                orderID: "o", method: .card, amountMinorUnits: 100, currencyCode: "USD", gatewayPaymentID: "pi_1\t2\n3")
        }

        #expect(error?.message.contains(#"'pi_1\u{9}2\u{a}3' is invalid"#) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
        #expect(Validation.quoted("a\u{7f}b") == #"'a\u{7f}b'"#)
        #expect(Validation.quoted(String(repeating: "x", count: 100)) == "'" + String(repeating: "x", count: 80) + "'")
    }

    @Test(
        "order ids",
        arguments: [
            ("A-z_0.9:x", true), ("", false), (String(repeating: "a", count: 64), true),
            (String(repeating: "a", count: 65), false), ("a b", false), ("a/b", false), ("ñ", false),
        ])
    func orderIDs(orderID: String, valid: Bool) {
        let accepted = (try? Validation.checkOrderID(orderID)) != nil

        #expect(accepted == valid)
    }

    @Test("register amounts", arguments: [Int64(0), -1, Money.maximumMinorUnits + 1])
    func registerAmounts(amount: Int64) {
        let error = #expect(throws: PaymentError.self) {
            try RegisterPaymentCommand(orderID: "o", method: .cash, amountMinorUnits: amount, currencyCode: "USD")
        }

        #expect(error?.code == .invalidAmount)
    }

    @Test("refund amounts", arguments: [Int64(0), -100])
    func refundAmounts(amount: Int64) {
        let error = #expect(throws: PaymentError.self) {
            try RefundPaymentCommand(orderID: "o", paymentID: RandomID.make(.payment), amount: .minorUnits(amount))
        }

        #expect(error?.code == .invalidAmount)
    }

    @Test("reason length and control characters")
    func reason() {
        let paymentID = RandomID.make(.payment)
        let long = String(repeating: "é", count: 257)

        #expect(throws: PaymentError.self) {
            try RefundPaymentCommand(orderID: "o", paymentID: paymentID, amount: .remainder, reason: long)
        }
        #expect(throws: PaymentError.self) {
            try RefundPaymentCommand(orderID: "o", paymentID: paymentID, amount: .remainder, reason: "a\u{0}b")
        }
        #expect(throws: Never.self) {
            try RefundPaymentCommand(
                orderID: "o", paymentID: paymentID, amount: .remainder, reason: String(long.dropFirst()))
        }
    }

    @Test("fail needs a failure code")
    func failCode() {
        let error = #expect(throws: PaymentError.self) {
            try FailPaymentCommand(orderID: "o", paymentID: RandomID.make(.payment), failureCode: "")
        }

        #expect(error?.details["field"] == "failure_code")
    }

    @Test("fingerprints differ by any field")
    func fingerprints() throws {
        let base = try RegisterPaymentCommand(orderID: "o", method: .cash, amountMinorUnits: 1000, currencyCode: "USD")
        let other = try RegisterPaymentCommand(orderID: "o", method: .cash, amountMinorUnits: 2000, currencyCode: "USD")
        let withTotal = try RegisterPaymentCommand(
            orderID: "o", method: .cash, amountMinorUnits: 1000, currencyCode: "USD", orderTotalMinorUnits: 1000)

        #expect(base.fingerprint != other.fingerprint)
        #expect(base.fingerprint != withTotal.fingerprint)
        #expect(Fingerprint.make(["a|1:b"]) != Fingerprint.make(["a", "b"]))
    }

    @Test("fingerprint text is stable")
    func fingerprintText() throws {
        // Stored idempotency keys compare against this text, so a change here breaks retries across versions.
        let paymentID = "pay_" + String(repeating: "a", count: RandomID.randomLength)
        let command = try ConfirmPaymentCommand(orderID: "order-7", paymentID: paymentID)
        #expect(command.fingerprint == "7:confirm|7:order-7|28:\(paymentID)")
        #expect(Fingerprint.make(["", "é"]) == "0:|2:é")
        #expect(Fingerprint.make([]) == "")
    }

    @Test("error codes map to statuses")
    func statuses() {
        #expect(PaymentErrorCode.refundExceedsPayment.statusName == "FAILED_PRECONDITION")
        #expect(PaymentErrorCode.idempotencyKeyInProgress.statusName == "ABORTED")
        #expect(PaymentErrorCode.idempotencyKeyInProgress.isRetryable)
        #expect(PaymentErrorCode.storeUnavailable.statusName == "UNAVAILABLE")
        #expect(PaymentErrorCode.storeUnavailable.isRetryable)
        #expect(!PaymentErrorCode.internal.isRetryable)
        #expect(PaymentErrorCode.paymentNotFound.statusName == "NOT_FOUND")
    }
}

@Suite("Ids and balances")
struct IdentifierAndBalanceTests {
    @Test("ids are prefixed and distinct", arguments: RandomID.Kind.allCases)
    func ids(kind: RandomID.Kind) {
        let ids = (0..<1000).map { _ in RandomID.make(kind) }

        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { RandomID.isWellFormed($0, kind) })
        #expect(!RandomID.isWellFormed(ids[0] + "a", kind))
        #expect(!RandomID.isWellFormed(ids[0].uppercased(), kind))
        #expect(!RandomID.isWellFormed(String(ids[0].dropLast()), kind))
    }

    @Test(
        "malformed ids are rejected",
        arguments: [
            "", "pay_", "re_abcdefghijklmnopqrstuvwx", "pay_abcdefghijklmnopqrstuv01", "pay_abcdefghijklmnopqrstu8x",
            "pay_abcdefghijklmnopqrstuvw\u{301}", "pay-abcdefghijklmnopqrstuvwx", "PAY_abcdefghijklmnopqrstuvwx",
        ])
    func malformedIDs(text: String) {
        #expect(!RandomID.isWellFormed(text, .payment))
    }

    @Test("literal well-formed ids accepted")
    func wellFormedLiteral() {
        #expect(RandomID.isWellFormed("pay_abcdefghijklmnopqrstuvwx", .payment))
        #expect(RandomID.isWellFormed("evt_234567234567234567234567", .event))
    }

    @Test("concurrent ids are distinct")
    func concurrentIDs() async {
        // 8 tasks of 2,000 ids draw 240,000 random bytes, so the shared 4 KiB pool refills many times under them.
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<2000).map { _ in RandomID.make(.payment) } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }

        #expect(ids.count == 16_000)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { RandomID.isWellFormed($0, .payment) })
    }

    @Test("balance with total")
    func balanceWithTotal() {
        let balance = OrderBalance(orderID: "o", currency: "USD", totalMinorUnits: 1000, paidMinorUnits: 600)

        #expect(throws: Never.self) {
            try balance.checkRegistration(amountMinorUnits: 400, currency: "USD", requestedTotal: 1000)
        }
        let above = #expect(throws: PaymentError.self) {
            try balance.checkRegistration(amountMinorUnits: 401, currency: "USD", requestedTotal: nil)
        }
        #expect(above?.code == .invalidAmount)
        #expect(above?.details["outstanding_minor_units"] == "400")
        let currency = #expect(throws: PaymentError.self) {
            try balance.checkRegistration(amountMinorUnits: 1, currency: "EUR", requestedTotal: nil)
        }
        #expect(currency?.code == .currencyMismatch)
        let total = #expect(throws: PaymentError.self) {
            try balance.checkRegistration(amountMinorUnits: 1, currency: "USD", requestedTotal: 999)
        }
        #expect(total?.code == .invalidArgument)
    }

    @Test("paid order rejects register and capture")
    func paidOrder() {
        let withTotal = OrderBalance(orderID: "o", currency: "USD", totalMinorUnits: 1000, paidMinorUnits: 1000)
        let withoutTotal = OrderBalance(orderID: "o", currency: "USD", totalMinorUnits: nil, paidMinorUnits: 1)

        for balance in [withTotal, withoutTotal] {
            let register = #expect(throws: PaymentError.self) {
                try balance.checkRegistration(amountMinorUnits: 1, currency: "USD", requestedTotal: nil)
            }
            #expect(register?.code == .orderAlreadyPaid)
            let capture = #expect(throws: PaymentError.self) { try balance.checkCapture(amountMinorUnits: 1) }
            #expect(capture?.code == .orderAlreadyPaid)
        }
    }
}
