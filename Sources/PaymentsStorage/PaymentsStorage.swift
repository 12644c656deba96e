// Module PaymentsStorage.
