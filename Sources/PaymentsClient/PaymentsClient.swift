// Module PaymentsClient.
