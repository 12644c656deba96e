// libFuzzer entry point: decodes the input as every generated message type
// and, when it decodes, checks that encoding and decoding again gives an
// equal value. Any trap, sanitizer report or failed check is a finding.

import PaymentsMessages
import ProtoRuntime
import RPCMessages

private let messageTypes: [any ProtoMessage.Type] = [
    CallHeader.self, CallStatus.self, ConnectionSettings.self, GoAway.self, MetadataEntry.self,
    HealthCheckRequest.self, HealthCheckResponse.self, Refund.self, Payment.self, RegisterPaymentRequest.self,
    RegisterPaymentResponse.self, ConfirmPaymentRequest.self, ConfirmPaymentResponse.self, FailPaymentRequest.self,
    FailPaymentResponse.self, RefundPaymentRequest.self, RefundPaymentResponse.self, GetPaymentRequest.self,
    GetPaymentResponse.self, ListPaymentsRequest.self, ListPaymentsResponse.self, WatchEventsRequest.self,
    Event.self,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for type in messageTypes {
        checkRoundTrip(type, bytes)
    }
    return 0
}

private func checkRoundTrip<Message: ProtoMessage>(_ type: Message.Type, _ bytes: [UInt8]) {
    guard let message = try? Message(serializedBytes: bytes) else {
        return
    }
    let reencoded = message.serializedBytes()
    guard let again = try? Message(serializedBytes: reencoded) else {
        preconditionFailure("\(Message.protoMessageName) does not decode its own encoding")
    }
    precondition(again == message, "\(Message.protoMessageName) changed in an encode-decode round trip")
}
