// libFuzzer entry point: splits the input into frames with small limits, in
// chunks whose sizes come from the input itself, and decodes every REQUEST
// payload the way the server does. Any trap or sanitizer report is a finding.

import RPCMessages
import RPCTransport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let first = input.first else {
        return 0
    }
    var decoder = FrameDecoder(maxFrameSize: 4096, maxBufferedPayloadSize: 1024)
    let chunkSize = Int(first % 32) + 1
    var offset = 1
    while offset < size {
        let end = min(size, offset + chunkSize)
        decoder.append(UnsafeRawBufferPointer(start: data + offset, count: end - offset))
        offset = end
        guard drain(&decoder) else {
            return 0
        }
    }
    decoder.releaseBufferIfEmpty()
    return 0
}

/// Returns false when the decoder reported a protocol error, after which the stream is dead.
private func drain(_ decoder: inout FrameDecoder) -> Bool {
    while true {
        let output: FrameDecoder.Output?
        do {
            output = try decoder.next()
        } catch {
            return false
        }
        guard case .frame(let frame) = output else {
            if output == nil {
                return true
            }
            continue
        }
        precondition(frame.payload.count == Int(frame.header.length), "payload length differs from the header")
        if frame.header.frameType == .request, let parts = RequestPayload(splitting: frame.payload) {
            _ = try? CallHeader(serializedBytes: Array(parts.header))
        }
    }
}
