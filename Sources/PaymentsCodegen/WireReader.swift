/// Reader of the Protocol Buffers wire format over a byte array.
///
/// Every read checks the remaining length first, so truncated or hostile input throws and never traps.
struct WireReader {
    /// Encoding of a field value on the wire, from the low three bits of its tag.
    enum WireType: UInt8, Equatable {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    /// Field number and wire type of one field.
    struct Tag: Equatable {
        var fieldNumber: Int
        var wireType: WireType
    }

    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.offset = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool {
        offset >= end
    }

    /// Reads a base-128 varint of at most 10 bytes.
    mutating func readVarint() throws(CodegenError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard offset < end else {
                throw CodegenError(.truncatedInput, "input ends inside a varint at byte \(offset)")
            }
            let byte = bytes[offset]
            offset += 1
            if index == 9 && byte > 1 {
                throw CodegenError(.malformedVarint, "varint ending at byte \(offset - 1) overflows 64 bits")
            }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 {
                return value
            }
        }
        throw CodegenError(.malformedVarint, "varint ending at byte \(offset - 1) is longer than 10 bytes")
    }

    /// Reads a field tag; throws for wire types 6 and 7 and for field number 0.
    mutating func readTag() throws(CodegenError) -> Tag {
        let start = offset
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw CodegenError(.invalidTag, "tag at byte \(start) has undefined wire type \(key & 7)")
        }
        let fieldNumber = key >> 3
        guard fieldNumber > 0, fieldNumber <= 536_870_911 else {
            throw CodegenError(.invalidTag, "tag at byte \(start) has invalid field number \(fieldNumber)")
        }
        return Tag(fieldNumber: Int(fieldNumber), wireType: wireType)
    }

    /// Reads a length-delimited value and returns a reader limited to its bytes.
    mutating func readLengthDelimited() throws(CodegenError) -> WireReader {
        let start = offset
        let length = try readVarint()
        guard length <= UInt64(end - offset) else {
            throw CodegenError(
                .truncatedInput, "length \(length) at byte \(start) exceeds the \(end - offset) bytes that remain")
        }
        let valueEnd = offset + Int(length)
        let reader = WireReader(bytes, range: offset..<valueEnd)
        offset = valueEnd
        return reader
    }

    /// Reads a length-delimited UTF-8 string; invalid UTF-8 is repaired with replacement characters.
    mutating func readString() throws(CodegenError) -> String {
        let value = try readLengthDelimited()
        return String(decoding: bytes[value.offset..<value.end], as: UTF8.self)
    }

    /// Reads a varint as an `int32`, keeping its low 32 bits as protobuf does.
    mutating func readInt32() throws(CodegenError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    /// Reads a varint as a `bool`.
    mutating func readBool() throws(CodegenError) -> Bool {
        try readVarint() != 0
    }

    /// Reads one or many `int32` values: a single varint, or a packed length-delimited run.
    mutating func readInt32Values(wireType: WireType) throws(CodegenError) -> [Int32] {
        switch wireType {
        case .varint:
            return [try readInt32()]
        case .lengthDelimited:
            var packed = try readLengthDelimited()
            var values: [Int32] = []
            while !packed.isAtEnd {
                values.append(try packed.readInt32())
            }
            return values
        default:
            throw CodegenError(.invalidTag, "int32 field before byte \(offset) has wire type \(wireType)")
        }
    }

    /// Skips the value of a field that the caller does not decode.
    mutating func skipField(_ tag: Tag) throws(CodegenError) {
        switch tag.wireType {
        case .varint:
            _ = try readVarint()
        case .fixed64:
            try skipBytes(8)
        case .fixed32:
            try skipBytes(4)
        case .lengthDelimited:
            _ = try readLengthDelimited()
        case .startGroup:
            try skipGroup(fieldNumber: tag.fieldNumber, depth: 1)
        case .endGroup:
            throw CodegenError(.invalidTag, "end-group tag before byte \(offset) has no matching start")
        }
    }

    private mutating func skipBytes(_ count: Int) throws(CodegenError) {
        guard end - offset >= count else {
            throw CodegenError(.truncatedInput, "input ends inside a \(count)-byte value at byte \(offset)")
        }
        offset += count
    }

    /// Skips the fields of a group up to its end tag; groups nested deeper than 100 throw instead of
    /// recursing without bound.
    private mutating func skipGroup(fieldNumber: Int, depth: Int) throws(CodegenError) {
        guard depth <= 100 else {
            throw CodegenError(.invalidTag, "groups nest deeper than 100 levels before byte \(offset)")
        }
        while true {
            guard !isAtEnd else {
                throw CodegenError(.truncatedInput, "input ends inside group \(fieldNumber)")
            }
            let tag = try readTag()
            if tag.wireType == .endGroup {
                guard tag.fieldNumber == fieldNumber else {
                    throw CodegenError(
                        .invalidTag, "group \(fieldNumber) ends with the end tag of field \(tag.fieldNumber)")
                }
                return
            }
            if tag.wireType == .startGroup {
                try skipGroup(fieldNumber: tag.fieldNumber, depth: depth + 1)
            } else {
                try skipField(tag)
            }
        }
    }
}
