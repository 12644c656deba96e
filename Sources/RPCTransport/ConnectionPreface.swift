/// The 8 bytes a client sends first on every connection: `89 52 50 43 0D 0A 1A 0A`.
///
/// The first byte has its high bit set, so no HTTP request line or TLS
/// record (which starts with `16 03`) is a prefix of it, and the CR LF, SUB
/// and LF bytes expose text-mode mangling, as in the PNG signature.
public enum ConnectionPreface {
    /// The preface bytes.
    public static let bytes: [UInt8] = [0x89, 0x52, 0x50, 0x43, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Protocol version this implementation speaks and sends in SETTINGS.
    public static let protocolVersion: UInt32 = 1
}
