import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Prefixed random identifiers: `pay_`, `re_` and `evt_` followed by 24 base32 characters.
///
/// The 24 characters carry 120 bits from the operating system's CSPRNG (`getrandom` on Linux, through
/// glibc's `arc4random_buf`), read 4 KiB at a time into a shared pool, so an id costs no system call of its own. Each byte of the pool is used
/// once. The alphabet is lower-case RFC 4648 base32 (`a-z`, `2-7`), so ids are URL-safe and survive
/// case-insensitive systems.
public enum RandomID {
    /// What an id names, which fixes its prefix.
    public enum Kind: String, Sendable, CaseIterable {
        case payment = "pay_"
        case refund = "re_"
        case event = "evt_"
    }

    /// Number of random characters after the prefix.
    public static let randomLength = 24

    /// Random bytes behind one id: 24 characters of 5 bits.
    static let randomByteCount = randomLength * 5 / 8

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    private static let pool = Mutex(RandomPool())

    /// Returns a new id of `kind`.
    public static func make(_ kind: Kind) -> String {
        let prefix = kind.rawValue
        let prefixLength = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixLength + randomLength) { output in
            var written = 0
            for byte in prefix.utf8 {
                output[written] = byte
                written += 1
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: randomByteCount) { random in
                pool.withLock { $0.take(into: random) }
                // Every 5 bytes give 8 characters of 5 bits, most significant bits first.
                var bits: UInt64 = 0
                var bitCount = 0
                for byte in random {
                    bits = (bits << 8) | UInt64(byte)
                    bitCount += 8
                    while bitCount >= 5 {
                        bitCount -= 5
                        output[written] = alphabet[Int((bits >> UInt64(bitCount)) & 31)]
                        written += 1
                    }
                }
            }
            return written
        }
    }

    /// Whether `text` has the shape of an id of `kind`: its prefix, then `randomLength` base32 characters.
    public static func isWellFormed(_ text: String, _ kind: Kind) -> Bool {
        let prefix = kind.rawValue.utf8
        return text.withUTF8Bytes { bytes in
            bytes.count == prefix.count + randomLength && bytes.starts(with: prefix)
                && bytes.dropFirst(prefix.count).allSatisfy(isAlphabetByte)
        }
    }

    private static func isAlphabetByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(byte)
    }
}

/// Bytes read from the kernel's CSPRNG and not yet handed out.
private struct RandomPool: ~Copyable {
    private static let capacity = 4096
    private var bytes = [UInt8](repeating: 0, count: capacity)
    private var next = capacity

    /// Fills `destination` with unused random bytes, reading more from the kernel when the pool runs out.
    mutating func take(into destination: UnsafeMutableBufferPointer<UInt8>) {
        if Self.capacity - next < destination.count {
            refill()
        }
        for index in destination.indices {
            destination[index] = bytes[next]
            bytes[next] = 0
            next += 1
        }
    }

    private mutating func refill() {
        // glibc's arc4random_buf reads the kernel's CSPRNG with getrandom, one call for the whole pool.
        bytes.withUnsafeMutableBytes { buffer in arc4random_buf(buffer.baseAddress!, buffer.count) }
        next = 0
    }
}
