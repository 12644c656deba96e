internal import CProtobufC

#if canImport(Glibc)
    import Glibc
#endif

/// Owner of the C memory built while encoding one message.
///
/// Generated code fills protobuf-c structs with pointers from an arena, packs
/// them, and then lets the arena free everything at once. An arena is used by
/// one encoding call on one thread and never escapes it.
public final class CAllocationArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    public init() {}

    deinit {
        for allocation in allocations {
            free(allocation)
        }
    }

    /// Copies a Swift string into a NUL-terminated C string owned by the arena.
    ///
    /// NOTE: a string with an embedded NUL character is cut at that character,
    /// because protobuf-c stores strings as C strings.
    public func duplicate(_ string: String) -> UnsafeMutablePointer<CChar> {
        let copy = string.withCString { strdup($0) }
        guard let copy else {
            fatalError("strdup failed: out of memory")
        }
        allocations.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    /// Allocates uninitialized storage for `count` values of `T` owned by the arena.
    public func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let byteCount = Swift.max(1, count) * MemoryLayout<T>.stride
        guard let raw = malloc(byteCount) else {
            fatalError("malloc of \(byteCount) bytes failed: out of memory")
        }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: Swift.max(1, count))
    }

    /// Stores one value in arena memory and returns a pointer to it.
    public func store<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let pointer = allocate(T.self, count: 1)
        pointer.initialize(to: value)
        return pointer
    }

    /// Copies a byte array into arena memory; returns nil for an empty array.
    public func copyBytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8>? {
        guard !bytes.isEmpty else {
            return nil
        }
        let pointer = allocate(UInt8.self, count: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return pointer
    }
}
