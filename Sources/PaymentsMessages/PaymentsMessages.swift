// Module PaymentsMessages.
