import Testing

@testable import PaymentsDomain

@Suite("Payment state machine")
struct PaymentStateMachineTests {
    @Test("confirm moves pending to succeeded")
    func confirm() throws {
        var machine = PaymentStateMachine(status: .pending, amountMinorUnits: 10000)

        let transition = try machine.apply(.confirm)

        #expect(transition == .moved(from: .pending, to: .succeeded, refundMinorUnits: 0))
        #expect(machine.status == .succeeded)
    }

    @Test("confirm of succeeded is unchanged")
    func confirmTwice() throws {
        var machine = PaymentStateMachine(status: .succeeded, amountMinorUnits: 10000)

        #expect(try machine.apply(.confirm) == .unchanged)
        #expect(machine.status == .succeeded)
    }

    @Test(
        "forbidden transitions are INVALID_STATE",
        arguments: [
            (PaymentStatus.failed, PaymentStateMachine.Command.confirm), (.failed, .refund(amountMinorUnits: 1)),
            (.failed, .fail), (.failed, .refundRemainder), (.pending, .refund(amountMinorUnits: 1)),
            (.pending, .refundRemainder), (.succeeded, .fail), (.refunded, .confirm), (.refunded, .fail),
            (.partiallyRefunded, .confirm), (.partiallyRefunded, .fail),
        ])
    func forbidden(status: PaymentStatus, command: PaymentStateMachine.Command) {
        let refunded: Int64 = status == .refunded ? 100 : (status == .partiallyRefunded ? 40 : 0)
        var machine = PaymentStateMachine(status: status, amountMinorUnits: 100, refundedMinorUnits: refunded)
        let before = machine

        let error = #expect(throws: PaymentError.self) { try machine.apply(command) }

        #expect(error?.code == .invalidState)
        #expect(machine == before)
    }

    @Test("refunds walk to refunded exactly")
    func refundSequence() throws {
        var machine = PaymentStateMachine(status: .succeeded, amountMinorUnits: 6240)

        #expect(
            try machine.apply(.refund(amountMinorUnits: 4320))
                == .moved(from: .succeeded, to: .partiallyRefunded, refundMinorUnits: 4320))
        #expect(
            try machine.apply(.refund(amountMinorUnits: 1920))
                == .moved(from: .partiallyRefunded, to: .refunded, refundMinorUnits: 1920))
        #expect(machine.refundedMinorUnits == 6240)
        #expect(machine.refundableMinorUnits == 0)
        let error = #expect(throws: PaymentError.self) { try machine.apply(.refund(amountMinorUnits: 1)) }
        #expect(error?.code == .refundExceedsPayment)
        #expect(error?.details["refundable_minor_units"] == "0")
        let remainder = #expect(throws: PaymentError.self) { try machine.apply(.refundRemainder) }
        #expect(remainder?.code == .refundExceedsPayment)
        #expect(remainder?.details["requested_minor_units"] == "0")
        #expect(remainder?.message == "the payment is already fully refunded: nothing is left to refund")
    }

    @Test("refund above remainder names the remainder")
    func refundExceeds() throws {
        var machine = PaymentStateMachine(status: .succeeded, amountMinorUnits: 10000)
        _ = try machine.apply(.refund(amountMinorUnits: 9999))
        let before = machine

        let error = #expect(throws: PaymentError.self) { try machine.apply(.refund(amountMinorUnits: 2)) }

        #expect(error?.code == .refundExceedsPayment)
        #expect(error?.details["refundable_minor_units"] == "1")
        #expect(machine == before)
        #expect(
            try machine.apply(.refund(amountMinorUnits: 1))
                == .moved(from: .partiallyRefunded, to: .refunded, refundMinorUnits: 1))
    }

    @Test("remainder refund takes what is left")
    func refundRemainder() throws {
        var machine = PaymentStateMachine(status: .partiallyRefunded, amountMinorUnits: 500, refundedMinorUnits: 120)

        #expect(
            try machine.apply(.refundRemainder)
                == .moved(from: .partiallyRefunded, to: .refunded, refundMinorUnits: 380))
    }

    @Test("fail moves pending to failed")
    func fail() throws {
        var machine = PaymentStateMachine(status: .pending, amountMinorUnits: 1)

        #expect(try machine.apply(.fail) == .moved(from: .pending, to: .failed, refundMinorUnits: 0))
        #expect(machine.refundableMinorUnits == 0)
    }
}
