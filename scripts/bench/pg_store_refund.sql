-- The PostgreSQL store's RefundPayment transaction, statement for statement as PostgresTransaction runs it,
-- refunding 1 minor unit from one of the payments pg_store_refund_setup.sql confirmed (one commit per run).
-- :payments is set with pgbench -D payments=N to the number of set-up payments.
-- scripts/bench.sh runs pg_store_sequencer.sql next to it, which numbers the events these refunds insert.
\set p random(1, :payments)
\set n random(1, 9000000000000000000)
\set now 1764880000000000
BEGIN;
INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ('bench:/payments.v1.PaymentService/RefundPayment', 'kf' || :n, 'fingerprint', :now)
  ON CONFLICT (scope, key) DO NOTHING RETURNING 1;
SELECT payment_id, order_id, status, amount_minor_units, currency, method, gateway, gateway_payment_id,
    refunded_minor_units, failure_code, failure_message, created_at_micros, confirmed_at_micros, failed_at_micros
  FROM payments WHERE order_id = 'pgb-refund-' || :p AND payment_id = 'pay_refund_' || :p FOR UPDATE;
SELECT refund_id, payment_id, order_id, amount_minor_units, currency, reason, created_at_micros
  FROM refunds WHERE order_id = 'pgb-refund-' || :p AND payment_id = 'pay_refund_' || :p ORDER BY ordinal;
WITH refunded_payment AS (
    UPDATE payments SET refunded_minor_units = refunded_minor_units + 1,
        status = CASE WHEN refunded_minor_units + 1 = amount_minor_units THEN 'refunded' ELSE 'partially_refunded' END
    WHERE order_id = 'pgb-refund-' || :p AND payment_id = 'pay_refund_' || :p
        AND status IN ('succeeded', 'partially_refunded') AND refunded_minor_units + 1 <= amount_minor_units
    RETURNING refunded_minor_units
), inserted_refund AS (
    INSERT INTO refunds (order_id, payment_id, refund_id, ordinal, amount_minor_units, currency, reason, created_at_micros)
    SELECT 'pgb-refund-' || :p, 'pay_refund_' || :p, 're_' || :n, refunded_minor_units, 1, 'USD', 'bench', :now
    FROM refunded_payment
), refunded_order AS (
    UPDATE orders SET paid_minor_units = paid_minor_units - 1
    WHERE order_id = 'pgb-refund-' || :p AND EXISTS (SELECT 1 FROM refunded_payment)
    RETURNING 1
), inserted_event AS (
    INSERT INTO payment_events (event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units,
        currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code)
    SELECT 'evt_f' || :n, 'order.payment.refunded', :now, 'pgb-refund-' || :p, 'pay_refund_' || :p,
        'partially_refunded', 1000000000, 'USD', 're_' || :n, 1, 0, ''
    FROM refunded_payment
)
SELECT (SELECT count(*) FROM refunded_payment), (SELECT count(*) FROM refunded_order);
UPDATE idempotency_keys SET response = repeat('x', 700) WHERE scope = 'bench:/payments.v1.PaymentService/RefundPayment' AND key = 'kf' || :n;
COMMIT;
