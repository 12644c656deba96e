import Testing

@testable import PaymentsService

/// The rate limiter's bucket key: the peer address without its port.
@Suite struct CallAuthorizerHostTests {
    @Test(arguments: [
        ("127.0.0.1:5000", "127.0.0.1"),
        ("[::1]:5000", "::1"),
        ("[fe80::1%eth0]:443", "fe80::1%eth0"),
        ("10.0.0.7", "10.0.0.7"),
        ("fe80::1", "fe80::1"),
        ("unix", "unix"),
        ("", ""),
        ("[::1", "[::1"),
    ])
    func hostDropsThePort(peer: String, host: String) {
        #expect(CallAuthorizer.host(of: peer) == host)
    }
}
