// Module PaymentsDomain.
