// TODO: delete this file when the generated RPCMessages types land on main.
// These stand-ins copy the generated API (names, fields, defaults) only so that
// the transport builds and runs its tests before the code generator exists.
// They encode with a minimal Protocol Buffers writer that covers the field
// kinds of envelope.proto and health.proto.

import ProtoRuntime

public enum StatusCode: Sendable, Hashable {
    case ok, cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists, permissionDenied
    case resourceExhausted, failedPrecondition, aborted, outOfRange, unimplemented, `internal`, unavailable
    case dataLoss, unauthenticated
    case unrecognized(Int32)

    private static let known: [StatusCode] = [
        .ok, .cancelled, .unknown, .invalidArgument, .deadlineExceeded, .notFound, .alreadyExists,
        .permissionDenied, .resourceExhausted, .failedPrecondition, .aborted, .outOfRange, .unimplemented,
        .internal, .unavailable, .dataLoss, .unauthenticated,
    ]
    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    public init(rawValue: Int32) {
        self = (0..<17).contains(rawValue) ? Self.known[Int(rawValue)] : .unrecognized(rawValue)
    }

    public var rawValue: Int32 {
        if case .unrecognized(let value) = self {
            return value
        }
        return Int32(Self.known.firstIndex(of: self)!)
    }

    public var protoName: String {
        if case .unrecognized(let value) = self {
            return "\(value)"
        }
        return Self.names[Int(rawValue)]
    }
}

public enum ServingStatus: Sendable, Hashable {
    case unknown, serving, notServing
    case unrecognized(Int32)

    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unknown
        case 1: self = .serving
        case 2: self = .notServing
        default: self = .unrecognized(rawValue)
        }
    }

    public var rawValue: Int32 {
        switch self {
        case .unknown: 0
        case .serving: 1
        case .notServing: 2
        case .unrecognized(let value): value
        }
    }
}

public struct MetadataEntry: ProtoMessage {
    public var key = ""
    public var value = ""
    public init() {}
    public init(key: String = "", value: String = "") {
        self.key = key
        self.value = value
    }
    public static var protoMessageName: String { "rpc.v1.MetadataEntry" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: key = try value.string(reader)
            case 2: self.value = try value.string(reader)
            default: break
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.string(1, key)
        writer.string(2, value)
        return writer.bytes
    }
}

public struct ConnectionSettings: ProtoMessage {
    public var protocolVersion: UInt32 = 0
    public var maxFrameSize: UInt32 = 0
    public var maxMessageSize: UInt32 = 0
    public var maxConcurrentCalls: UInt32 = 0
    public var initialStreamCredit: UInt32 = 0
    public init() {}
    public init(
        protocolVersion: UInt32 = 0, maxFrameSize: UInt32 = 0, maxMessageSize: UInt32 = 0,
        maxConcurrentCalls: UInt32 = 0, initialStreamCredit: UInt32 = 0
    ) {
        self.protocolVersion = protocolVersion
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.initialStreamCredit = initialStreamCredit
    }
    public static var protoMessageName: String { "rpc.v1.ConnectionSettings" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: protocolVersion = UInt32(truncatingIfNeeded: try value.varint(reader))
            case 2: maxFrameSize = UInt32(truncatingIfNeeded: try value.varint(reader))
            case 3: maxMessageSize = UInt32(truncatingIfNeeded: try value.varint(reader))
            case 4: maxConcurrentCalls = UInt32(truncatingIfNeeded: try value.varint(reader))
            case 5: initialStreamCredit = UInt32(truncatingIfNeeded: try value.varint(reader))
            default: break
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.varint(1, UInt64(protocolVersion))
        writer.varint(2, UInt64(maxFrameSize))
        writer.varint(3, UInt64(maxMessageSize))
        writer.varint(4, UInt64(maxConcurrentCalls))
        writer.varint(5, UInt64(initialStreamCredit))
        return writer.bytes
    }
}

public struct CallHeader: ProtoMessage {
    public var method = ""
    public var timeoutMicros: UInt64 = 0
    public var authorization = ""
    public var idempotencyKey = ""
    public var requestID = ""
    public var traceParent = ""
    public var metadata: [MetadataEntry] = []
    public init() {}
    public init(
        method: String = "", timeoutMicros: UInt64 = 0, authorization: String = "", idempotencyKey: String = "",
        requestID: String = "", traceParent: String = "", metadata: [MetadataEntry] = []
    ) {
        self.method = method
        self.timeoutMicros = timeoutMicros
        self.authorization = authorization
        self.idempotencyKey = idempotencyKey
        self.requestID = requestID
        self.traceParent = traceParent
        self.metadata = metadata
    }
    public static var protoMessageName: String { "rpc.v1.CallHeader" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: method = try value.string(reader)
            case 2: timeoutMicros = try value.varint(reader)
            case 3: authorization = try value.string(reader)
            case 4: idempotencyKey = try value.string(reader)
            case 5: requestID = try value.string(reader)
            case 6: traceParent = try value.string(reader)
            case 7: metadata.append(try MetadataEntry(serializedBytes: try value.bytes(reader)))
            default: break
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.string(1, method)
        writer.varint(2, timeoutMicros)
        writer.string(3, authorization)
        writer.string(4, idempotencyKey)
        writer.string(5, requestID)
        writer.string(6, traceParent)
        for entry in metadata {
            writer.message(7, entry.serializedBytes())
        }
        return writer.bytes
    }
}

public struct CallStatus: ProtoMessage {
    public var code: StatusCode = .ok
    public var message = ""
    public var domainCode = ""
    public var details: [MetadataEntry] = []
    public var retryable = false
    public var notProcessed = false
    public init() {}
    public init(
        code: StatusCode = .ok, message: String = "", domainCode: String = "", details: [MetadataEntry] = [],
        retryable: Bool = false, notProcessed: Bool = false
    ) {
        self.code = code
        self.message = message
        self.domainCode = domainCode
        self.details = details
        self.retryable = retryable
        self.notProcessed = notProcessed
    }
    public static var protoMessageName: String { "rpc.v1.CallStatus" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: code = StatusCode(rawValue: Int32(truncatingIfNeeded: try value.varint(reader)))
            case 2: message = try value.string(reader)
            case 3: domainCode = try value.string(reader)
            case 4: details.append(try MetadataEntry(serializedBytes: try value.bytes(reader)))
            case 5: retryable = try value.varint(reader) != 0
            case 6: notProcessed = try value.varint(reader) != 0
            default: break
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.varint(1, UInt64(bitPattern: Int64(code.rawValue)))
        writer.string(2, message)
        writer.string(3, domainCode)
        for entry in details {
            writer.message(4, entry.serializedBytes())
        }
        writer.varint(5, retryable ? 1 : 0)
        writer.varint(6, notProcessed ? 1 : 0)
        return writer.bytes
    }
}

public struct GoAway: ProtoMessage {
    public var lastCallID: UInt32 = 0
    public var code: StatusCode = .ok
    public var message = ""
    public init() {}
    public init(lastCallID: UInt32 = 0, code: StatusCode = .ok, message: String = "") {
        self.lastCallID = lastCallID
        self.code = code
        self.message = message
    }
    public static var protoMessageName: String { "rpc.v1.GoAway" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: lastCallID = UInt32(truncatingIfNeeded: try value.varint(reader))
            case 2: code = StatusCode(rawValue: Int32(truncatingIfNeeded: try value.varint(reader)))
            case 3: message = try value.string(reader)
            default: break
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.varint(1, UInt64(lastCallID))
        writer.varint(2, UInt64(bitPattern: Int64(code.rawValue)))
        writer.string(3, message)
        return writer.bytes
    }
}

public struct HealthCheckRequest: ProtoMessage {
    public var service = ""
    public init() {}
    public init(service: String = "") {
        self.service = service
    }
    public static var protoMessageName: String { "rpc.v1.HealthCheckRequest" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            if field == 1 {
                service = try value.string(reader)
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.string(1, service)
        return writer.bytes
    }
}

public struct HealthCheckResponse: ProtoMessage {
    public var status: ServingStatus = .unknown
    public init() {}
    public init(status: ServingStatus = .unknown) {
        self.status = status
    }
    public static var protoMessageName: String { "rpc.v1.HealthCheckResponse" }
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        var reader = StandInReader(bytes: bytes, name: Self.protoMessageName)
        while let (field, value) = try reader.next() {
            if field == 1 {
                status = ServingStatus(rawValue: Int32(truncatingIfNeeded: try value.varint(reader)))
            }
        }
    }
    public func serializedBytes() -> [UInt8] {
        var writer = StandInWriter()
        writer.varint(1, UInt64(bitPattern: Int64(status.rawValue)))
        return writer.bytes
    }
}

struct StandInWriter {
    var bytes: [UInt8] = []

    mutating func rawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func varint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        rawVarint(UInt64(field << 3))
        rawVarint(value)
    }

    mutating func message(_ field: Int, _ value: [UInt8]) {
        rawVarint(UInt64(field << 3 | 2))
        rawVarint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        message(field, Array(value.utf8))
    }
}

struct StandInReader {
    enum Value {
        case varint(UInt64)
        case bytes([UInt8])
        case other

        func varint(_ reader: StandInReader) throws(ProtoDecodingError) -> UInt64 {
            guard case .varint(let value) = self else { throw reader.error }
            return value
        }

        func bytes(_ reader: StandInReader) throws(ProtoDecodingError) -> [UInt8] {
            guard case .bytes(let value) = self else { throw reader.error }
            return value
        }

        func string(_ reader: StandInReader) throws(ProtoDecodingError) -> String {
            String(decoding: try bytes(reader), as: UTF8.self)
        }
    }

    let bytes: [UInt8]
    let name: String
    var index = 0

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    var error: ProtoDecodingError { ProtoDecodingError(messageName: name, byteCount: bytes.count) }

    mutating func rawVarint() throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                return result
            }
            shift += 7
        }
        throw error
    }

    mutating func next() throws(ProtoDecodingError) -> (Int, Value)? {
        guard index < bytes.count else { return nil }
        let key = try rawVarint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0 else { throw error }
        switch key & 7 {
        case 0:
            return (field, .varint(try rawVarint()))
        case 1, 5:
            let size = key & 7 == 1 ? 8 : 4
            guard bytes.count - index >= size else { throw error }
            index += size
            return (field, .other)
        case 2:
            let length = try rawVarint()
            guard length <= UInt64(bytes.count - index) else { throw error }
            let end = index + Int(length)
            defer { index = end }
            return (field, .bytes(Array(bytes[index..<end])))
        default:
            throw error
        }
    }
}
