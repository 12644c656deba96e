import PaymentsMessages
import ProtoRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("C allocation arena")
struct CAllocationArenaTests {
    @Test("strings intact across slabs", arguments: [0, 1, 511, 1023, 1024, 1025, 5000])
    func stringsAcrossSlabs(length: Int) {
        let arena = CAllocationArena()
        let strings = (0..<400).map { index in String(repeating: "ñ", count: length / 2) + "\(index)" }
        let copies = strings.map { arena.duplicate($0) }
        for (string, copy) in zip(strings, copies) {
            #expect(String(cString: copy) == string)
        }
    }

    @Test("embedded NUL ends the C string")
    func embeddedNUL() {
        let arena = CAllocationArena()
        #expect(String(cString: arena.duplicate("ab\u{0}cd")) == "ab")
        #expect(String(cString: arena.duplicate("")) == "")
    }

    @Test("values aligned after odd strings")
    func alignment() {
        let arena = CAllocationArena()
        for index in 0..<300 {
            _ = arena.duplicate(String(repeating: "x", count: index % 7))
            let value = arena.store(Int64(index))
            #expect(Int(bitPattern: value) % MemoryLayout<Int64>.alignment == 0)
            #expect(value.pointee == Int64(index))
            let pointers = arena.duplicateArray(["a", "bc"])
            #expect(Int(bitPattern: pointers) % MemoryLayout<UnsafeMutablePointer<CChar>?>.alignment == 0)
        }
    }

    @Test("arrays larger than a slab")
    func largeArrays() throws {
        let arena = CAllocationArena()
        let values = (0..<10_000).map { Int32($0) }
        let copy = try #require(arena.copyArray(values))
        #expect(Array(UnsafeBufferPointer(start: copy, count: values.count)) == values)
        #expect(arena.copyArray([Int32]()) == nil)
        #expect(arena.copyBytes([]) == nil)
    }

    @Test("payment with 200 refunds round-trips")
    func manyRefunds() throws {
        let refunds = (0..<200).map { index in
            Refund(
                refundID: "re_\(index)", paymentID: "pay_1", amountMinorUnits: Int64(index), currency: "EUR",
                reason: String(repeating: "r", count: index), createdAtUnixMicros: Int64(index))
        }
        let payment = Payment(paymentID: "pay_1", orderID: "order-1", currency: "EUR", refunds: refunds)
        let decoded = try Payment(serializedBytes: payment.serializedBytes())
        #expect(decoded == payment)
    }
}
