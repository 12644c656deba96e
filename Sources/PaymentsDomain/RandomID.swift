/// Prefixed random identifiers: `pay_`, `re_` and `evt_` followed by 24 base32 characters.
///
/// The 24 characters carry 120 bits from `SystemRandomNumberGenerator`, which reads the operating system's
/// CSPRNG (`getrandom` on Linux). The alphabet is lower-case RFC 4648 base32 (`a-z`, `2-7`), so ids are
/// URL-safe and survive case-insensitive systems.
public enum RandomID {
    /// What an id names, which fixes its prefix.
    public enum Kind: String, Sendable, CaseIterable {
        case payment = "pay_"
        case refund = "re_"
        case event = "evt_"
    }

    /// Number of random characters after the prefix.
    public static let randomLength = 24

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// Returns a new id of `kind`.
    public static func make(_ kind: Kind) -> String {
        // Two 64-bit draws, one system call each, give the 15 bytes; drawing byte by byte would cost 15 calls.
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        let bytes = words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }.prefix(15)

        var characters: [UInt8] = []
        characters.reserveCapacity(randomLength)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                characters.append(alphabet[Int((buffer >> UInt32(bitCount)) & 31)])
            }
        }
        return kind.rawValue + String(decoding: characters, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id of `kind`: its prefix, then `randomLength` base32 characters.
    public static func isWellFormed(_ text: String, _ kind: Kind) -> Bool {
        guard text.hasPrefix(kind.rawValue) else {
            return false
        }
        let rest = text.utf8.dropFirst(kind.rawValue.utf8.count)
        return rest.count == randomLength && rest.allSatisfy { alphabet.contains($0) }
    }
}
