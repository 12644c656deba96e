// Module PaymentsAuth.
