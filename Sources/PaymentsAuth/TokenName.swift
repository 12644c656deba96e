/// Rules for token names.
public enum TokenName {
    /// Maximum characters in a name.
    public static let maxLength = 64

    /// Throws `AuthError` with code `invalidTokenName` unless `name` is 1 to 64 characters of
    /// `A-Z a-z 0-9 . _ -`. The character set keeps names safe to print in logs and terminals.
    public static func validate(_ name: String) throws(AuthError) {
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        // The message leaves the name out because a rejected name may be a pasted token.
        guard !name.isEmpty, name.utf8.count <= maxLength, allowed else {
            throw AuthError(
                code: .invalidTokenName,
                message: "invalid token name. Use 1 to \(maxLength) characters of A-Z, a-z, 0-9, '.', '_' and '-'")
        }
    }
}
