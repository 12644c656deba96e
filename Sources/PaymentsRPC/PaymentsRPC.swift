// Module PaymentsRPC.
