import Testing

@testable import RPCTransport

@Suite("Frame codec")
struct FrameCodecTests {
    private func encodedFrame(type: FrameType, flags: FrameFlags = [], callID: UInt32, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameEncoder.appendFrame(type: type, flags: flags, callID: callID, payload: payload, to: &bytes)
        return bytes
    }

    @Test("header layout is big-endian")
    func headerLayout() {
        let bytes = encodedFrame(type: .ping, flags: .ack, callID: 0x0102_0304, payload: [9, 8, 7, 6, 5, 4, 3, 2])
        #expect(Array(bytes[0..<12]) == [0, 0, 0, 8, 6, 1, 0, 0, 1, 2, 3, 4])
        #expect(Array(bytes[12...]) == [9, 8, 7, 6, 5, 4, 3, 2])
    }

    @Test("round trip of every frame type")
    func roundTrip() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        for type in FrameType.allCases {
            decoder.append(encodedFrame(type: type, callID: 7, payload: [1, 2, 3]))
        }
        for type in FrameType.allCases {
            let output = try decoder.next()
            #expect(output == .frame(Frame(header: FrameHeader(length: 3, type: type, callID: 7), payload: [1, 2, 3])))
        }
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("frame split at every byte boundary")
    func splitAtEveryPoint() throws {
        let bytes = encodedFrame(type: .data, callID: 3, payload: Array(0..<40))
        for split in 0...bytes.count {
            var decoder = FrameDecoder(maxFrameSize: 1024)
            decoder.append(Array(bytes[0..<split]))
            if split < bytes.count {
                #expect(try decoder.next() == nil, "split \(split)")
            }
            decoder.append(Array(bytes[split...]))
            let output = try decoder.next()
            #expect(
                output == .frame(Frame(header: FrameHeader(length: 40, type: .data, callID: 3), payload: Array(0..<40)))
            )
        }
    }

    @Test("frame one byte at a time")
    func oneByteAtATime() throws {
        let bytes = encodedFrame(type: .status, callID: 9, payload: [42, 43])
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var frames: [FrameDecoder.Output] = []
        for byte in bytes {
            decoder.append([byte])
            while let output = try decoder.next() {
                frames.append(output)
            }
        }
        #expect(frames == [.frame(Frame(header: FrameHeader(length: 2, type: .status, callID: 9), payload: [42, 43]))])
    }

    @Test(
        "length above the cap is rejected before allocation",
        arguments: [
            [0xFF, 0xFF, 0xFF, 0xFF] as [UInt8], [0x80, 0x00, 0x00, 0x00], [0x01, 0x00, 0x00, 0x01],
        ])
    func lengthAboveCap(length: [UInt8]) {
        var decoder = FrameDecoder(maxFrameSize: 16 << 20)
        decoder.append(length + [2, 1, 0, 0, 0, 0, 0, 1])
        #expect(throws: RPCTransportError.self) {
            try decoder.next()
        }
        #expect(decoder.bufferedByteCount == 12)
    }

    @Test("incomplete header waits")
    func incompleteHeader() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        decoder.append([0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0])
        #expect(try decoder.next() == nil)
    }

    @Test("oversized frame under the cap is skipped")
    func oversizedSkipped() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024, maxBufferedPayloadSize: 16)
        let big = encodedFrame(type: .request, callID: 1, payload: [UInt8](repeating: 7, count: 100))
        let small = encodedFrame(type: .request, callID: 3, payload: [1, 2, 3, 4])
        decoder.append(Array(big[0..<50]))
        #expect(try decoder.next() == .skipped(FrameHeader(length: 100, type: .request, callID: 1)))
        #expect(try decoder.next() == nil)
        decoder.append(Array(big[50...]) + small)
        #expect(
            try decoder.next()
                == .frame(Frame(header: FrameHeader(length: 4, type: .request, callID: 3), payload: [1, 2, 3, 4])))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test("request payload split")
    func requestPayload() throws {
        var bytes: [UInt8] = []
        FrameEncoder.appendRequest(callID: 5, header: [1, 2], message: [3, 4, 5], to: &bytes)
        var decoder = FrameDecoder(maxFrameSize: 1024)
        decoder.append(bytes)
        guard case .frame(let frame) = try decoder.next() else {
            Issue.record("no frame decoded")
            return
        }
        #expect(frame.header.flags.contains(.endStream))
        let parts = try #require(RequestPayload(splitting: frame.payload))
        #expect(Array(parts.header) == [1, 2])
        #expect(Array(parts.message) == [3, 4, 5])
    }

    @Test(
        "request header length beyond the payload",
        arguments: [
            [0x7F, 0xFF, 0xFF, 0xFF, 1, 2] as [UInt8], [0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 3, 1, 2], [0, 0, 1],
        ])
    func requestHeaderLengthBeyondPayload(payload: [UInt8]) {
        #expect(RequestPayload(splitting: payload) == nil)
    }
}
