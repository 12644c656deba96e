import Foundation
import RPCMessages
import RPCTransport
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP socket that speaks raw bytes to a server under test.
///
/// Reads block a thread of their own, never a thread of the Swift concurrency pool,
/// because the server's handler tasks need that pool to reply. One test
/// uses a connection at a time.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32
    private var decoder = FrameDecoder(maxFrameSize: 32 << 20)
    /// Frames of other calls that `readCall` read past, kept for a later `readCall`.
    private var deferredFrames: [Frame] = []

    /// Connects to 127.0.0.1:`port`; reads time out after `timeoutSeconds`.
    init(port: Int, timeoutSeconds: Int = 5) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw RawConnectionError.failed("socket")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw RawConnectionError.failed("connect")
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else {
                return
            }
            offset += sent
        }
    }

    /// Sends the preface and a version-1 SETTINGS frame, then reads the server's SETTINGS.
    func handshake() async throws {
        var bytes = ConnectionPreface.bytes
        FrameEncoder.appendFrame(
            type: .settings, callID: 0, payload: ConnectionSettings(protocolVersion: 1).serializedBytes(), to: &bytes)
        send(bytes)
        let frame = try await readFrame()
        guard frame?.header.frameType == .settings else {
            throw RawConnectionError.failed("no SETTINGS from the server")
        }
    }

    /// Returns the next frame, or nil when the server closed the connection.
    func readFrame() async throws -> Frame? {
        try await runOnDedicatedThread { try self.readFrameBlocking() }
    }

    private func readFrameBlocking() throws -> Frame? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if case .frame(let frame) = try decoder.next() {
                return frame
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno == ECONNRESET) {
                return nil
            }
            guard count > 0 else {
                throw RawConnectionError.failed("recv errno \(errno)")
            }
            decoder.append(Array(buffer[0..<count]))
        }
    }

    /// Reads frames until the call's STATUS; returns the DATA payloads and the status.
    ///
    /// Frames of other calls are kept, so responses that arrive out of order can be read in any order.
    func readCall(_ callID: UInt32) async throws -> (messages: [[UInt8]], status: CallStatus) {
        var messages: [[UInt8]] = []
        var index = 0
        while true {
            let frame: Frame
            if index < deferredFrames.count {
                frame = deferredFrames[index]
                guard frame.header.callID == callID else {
                    index += 1
                    continue
                }
                deferredFrames.remove(at: index)
            } else {
                guard let next = try await readFrame() else {
                    throw RawConnectionError.failed("connection closed before STATUS of call \(callID)")
                }
                guard next.header.callID == callID else {
                    deferredFrames.append(next)
                    index = deferredFrames.count
                    continue
                }
                frame = next
            }
            if frame.header.frameType == .data {
                messages.append(frame.payload)
            } else if frame.header.frameType == .status {
                return (messages, try CallStatus(serializedBytes: frame.payload))
            }
        }
    }

    /// Reads until the server closes; returns the frames seen, or throws when the read times out.
    func readUntilClosed() async throws -> [Frame] {
        var frames: [Frame] = []
        while let frame = try await readFrame() {
            frames.append(frame)
        }
        return frames
    }
}

enum RawConnectionError: Error {
    case failed(String)
}

/// Bytes of a REQUEST frame for a test method with `HealthCheckRequest(service:)`.
func requestFrame(callID: UInt32, method: String, service: String = "") -> [UInt8] {
    var bytes: [UInt8] = []
    FrameEncoder.appendRequest(
        callID: callID, header: CallHeader(method: method).serializedBytes(),
        message: HealthCheckRequest(service: service).serializedBytes(), to: &bytes)
    return bytes
}

/// Resident set size of this process in bytes, from /proc/self/statm.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
        return 0
    }
    let fields = text.split(separator: " ")
    guard fields.count >= 2, let pages = Int(fields[1]) else {
        return 0
    }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
