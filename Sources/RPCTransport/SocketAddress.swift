#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 address and TCP port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// Dotted-quad IPv4 address, for example `127.0.0.1`.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String {
        "\(host):\(port)"
    }

    /// Builds a `sockaddr_in`; throws when `host` is not an IPv4 literal.
    func socketAddress() throws(RPCTransportError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        let parsed = host.withCString { inet_pton(AF_INET, $0, &address.sin_addr) }
        guard parsed == 1 else {
            throw RPCTransportError(
                .invalidConfiguration, "host \"\(host)\" is not an IPv4 address; use a literal such as 127.0.0.1")
        }
        return address
    }

    init(_ address: sockaddr_in) {
        var address = address
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        _ = inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
        let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(host: String(decoding: bytes, as: UTF8.self), port: Int(UInt16(bigEndian: address.sin_port)))
    }
}
