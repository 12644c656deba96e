import Testing

@testable import PaymentsCodegen

@Suite("Wire reader")
struct WireReaderTests {
    @Test(
        "varints decode",
        arguments: [
            ([0x00], UInt64(0)),
            ([0x01], 1),
            ([0x7F], 127),
            ([0xAC, 0x02], 300),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0x07], 2_147_483_647),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], UInt64.max),
            ([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 1 << 63),
        ] as [([UInt8], UInt64)])
    func varint(bytes: [UInt8], expected: UInt64) throws {
        var reader = WireReader(bytes)
        #expect(try reader.readVarint() == expected)
        #expect(reader.isAtEnd)
    }

    @Test("negative int32 is a 10-byte varint")
    func negativeInt32() throws {
        var reader = WireReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try reader.readInt32() == -1)
    }

    @Test("11-byte varint throws")
    func overlongVarint() {
        var reader = WireReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(throws: CodegenError.self) { try reader.readVarint() }
    }

    @Test("10th varint byte above 1 throws")
    func overflowingVarint() throws {
        var reader = WireReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        let error = try #require(throws: CodegenError.self) { try reader.readVarint() }
        #expect(error.code == .malformedVarint)
    }

    @Test("truncated input throws", arguments: [[0x80], [0xFF, 0xFF], [0x0A, 0x03, 0x61], [0x0A]] as [[UInt8]])
    func truncated(bytes: [UInt8]) throws {
        var reader = WireReader(bytes)
        let error = try #require(throws: CodegenError.self) {
            let tag = try reader.readTag()
            try reader.skipField(tag)
        }
        #expect(error.code == .truncatedInput)
    }

    @Test("length of 2^31-1 with 1 byte left throws")
    func hugeLength() throws {
        var reader = WireReader([0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61])
        let error = try #require(throws: CodegenError.self) { try reader.readLengthDelimited() }
        #expect(error.code == .truncatedInput)
    }

    @Test("undefined wire types and field 0 throw", arguments: [[0x0E], [0x0F], [0x00], [0x04]] as [[UInt8]])
    func invalidTag(bytes: [UInt8]) {
        var reader = WireReader(bytes)
        #expect(throws: CodegenError.self) {
            let tag = try reader.readTag()
            try reader.skipField(tag)
        }
    }

    @Test("skips every wire type")
    func skipsFields() throws {
        let bytes: [UInt8] = [
            0x08, 0x96, 0x01,  // field 1, varint 150
            0x11, 1, 2, 3, 4, 5, 6, 7, 8,  // field 2, fixed64
            0x1A, 0x02, 0x68, 0x69,  // field 3, "hi"
            0x23, 0x08, 0x01, 0x24,  // field 4, group holding field 1 = 1
            0x2D, 1, 2, 3, 4,  // field 5, fixed32
            0x30, 0x2A,  // field 6, varint 42
        ]
        var reader = WireReader(bytes)
        for expectedField in 1...5 {
            let tag = try reader.readTag()
            #expect(tag.fieldNumber == expectedField)
            try reader.skipField(tag)
        }
        #expect(try reader.readTag() == .init(fieldNumber: 6, wireType: .varint))
        #expect(try reader.readVarint() == 42)
        #expect(reader.isAtEnd)
    }

    @Test("group with the wrong end tag throws")
    func mismatchedGroup() {
        var reader = WireReader([0x23, 0x2C])
        #expect(throws: CodegenError.self) {
            let tag = try reader.readTag()
            try reader.skipField(tag)
        }
    }

    @Test("packed and unpacked int32 values")
    func int32Values() throws {
        var packed = WireReader([0x0A, 0x03, 0x04, 0x00, 0x02])
        let packedTag = try packed.readTag()
        #expect(try packed.readInt32Values(wireType: packedTag.wireType) == [4, 0, 2])

        var single = WireReader([0x08, 0x07])
        let singleTag = try single.readTag()
        #expect(try single.readInt32Values(wireType: singleTag.wireType) == [7])
    }

    @Test("strings repair invalid UTF-8")
    func invalidUTF8() throws {
        var reader = WireReader([0x03, 0x61, 0xFF, 0x62])
        #expect(try reader.readString() == "a\u{FFFD}b")
    }
}

@Suite("Wire reader groups")
struct WireReaderGroupTests {
    @Test("deeply nested groups throw")
    func deepGroups() throws {
        // 200 start-group tags of field 1 (0x0B) with no end tags.
        var reader = WireReader([UInt8](repeating: 0x0B, count: 200))
        let error = try #require(throws: CodegenError.self) {
            let tag = try reader.readTag()
            try reader.skipField(tag)
        }
        #expect(error.code == .invalidTag)
    }
}
