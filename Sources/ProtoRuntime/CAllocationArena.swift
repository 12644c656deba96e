internal import CProtobufC

#if canImport(Glibc)
    import Glibc
#endif

/// Owner of the C memory built while encoding one message.
///
/// Generated code fills protobuf-c structs with pointers from an arena, packs
/// them, and then lets the arena free everything at once. An arena is used by
/// one encoding call on one thread and never escapes it.
///
/// Memory comes from slabs of `slabSize` bytes handed out in order, so a message
/// with a dozen strings costs one `malloc` instead of one per field. A request
/// larger than half a slab gets its own block.
public final class CAllocationArena {
    /// Bytes in each slab.
    static let slabSize = 2048

    private var slab: UnsafeMutableRawPointer?
    private var slabOffset = 0
    // Full slabs and large blocks, freed with the arena. Most messages fit in one slab, so this stays empty.
    private var retired: [UnsafeMutableRawPointer] = []

    public init() {}

    deinit {
        free(slab)
        for block in retired {
            free(block)
        }
    }

    /// Copies a Swift string into a NUL-terminated C string owned by the arena.
    ///
    /// NOTE: a string with an embedded NUL character is cut at that character,
    /// because protobuf-c stores strings as C strings.
    public func duplicate(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let copy = allocateBytes(utf8.count + 1, alignment: 1).assumingMemoryBound(to: CChar.self)
            if let source = utf8.baseAddress {
                UnsafeMutableRawPointer(copy).copyMemory(from: source, byteCount: utf8.count)
            }
            copy[utf8.count] = 0
            return copy
        }
    }

    /// Allocates uninitialized storage for `count` values of `T` owned by the arena.
    @inlinable
    public func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let capacity = Swift.max(1, count)
        let (byteCount, overflow) = capacity.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow else {
            fatalError("an arena allocation of \(count) values of \(T.self) overflows Int")
        }
        return allocateBytes(byteCount, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: capacity)
    }

    /// Stores one value in arena memory and returns a pointer to it.
    @inlinable
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

    /// Returns `byteCount` bytes aligned to `alignment`, a power of two no larger than 16. glibc's
    /// `malloc` aligns every block to 16 bytes on 64-bit platforms, so slab offsets keep that alignment.
    @usableFromInline
    func allocateBytes(_ byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if byteCount > Self.slabSize / 2 {
            let block = Self.mallocOrTrap(byteCount)
            retired.append(block)
            return block
        }
        let start = (slabOffset + alignment - 1) & ~(alignment - 1)
        if let slab, start + byteCount <= Self.slabSize {
            slabOffset = start + byteCount
            return slab + start
        }
        if let slab {
            retired.append(slab)
        }
        let fresh = Self.mallocOrTrap(Self.slabSize)
        slab = fresh
        slabOffset = byteCount
        return fresh
    }

    private static func mallocOrTrap(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let block = malloc(byteCount) else {
            fatalError("malloc of \(byteCount) bytes failed: out of memory")
        }
        return block
    }
}
