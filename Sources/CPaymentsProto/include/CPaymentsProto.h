#ifndef CPAYMENTSPROTO_H
#define CPAYMENTSPROTO_H
// protobuf-c structs and functions for every file under proto/.
#include "rpc/v1/envelope.pb-c.h"
#include "rpc/v1/health.pb-c.h"
#include "payments/v1/payments.pb-c.h"
#endif
