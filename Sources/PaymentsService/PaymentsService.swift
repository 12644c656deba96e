// Module PaymentsService.
