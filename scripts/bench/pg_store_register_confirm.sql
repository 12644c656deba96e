-- The PostgreSQL store's RegisterPayment and ConfirmPayment transactions, statement for statement as
-- PostgresTransaction runs them on the server's schema: two transactions (two commits) per script run.
-- Ids are random 63-bit numbers, so runs do not collide with each other or with the server's rows.
\set n random(1, 9000000000000000000)
\set now 1764880000000000
BEGIN;
INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ('bench:/payments.v1.PaymentService/RegisterPayment', 'kr' || :n, 'fingerprint', :now)
  ON CONFLICT (scope, key) DO NOTHING RETURNING 1;
INSERT INTO orders AS o (order_id, currency, total_minor_units, paid_minor_units, payment_count, created_at_micros)
  VALUES ('pgb-' || :n, 'USD', NULL, 0, 1, :now)
  ON CONFLICT (order_id) DO UPDATE SET payment_count = o.payment_count + 1,
    total_minor_units = CASE WHEN o.total_minor_units IS NULL AND excluded.total_minor_units >= o.paid_minor_units
      THEN excluded.total_minor_units ELSE o.total_minor_units END
  RETURNING order_id, currency, total_minor_units, paid_minor_units, payment_count;
WITH inserted_payment AS (
    INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method, gateway,
        gateway_payment_id, created_at_micros)
    VALUES ('pgb-' || :n, 'pay_' || :n, 1, 'pending', 1000, 'USD', 'cash', 'pos', '', :now)
), inserted_event AS (
    INSERT INTO payment_events (event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units,
        currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code)
    VALUES ('evt_r' || :n, 'order.payment.pending', :now, 'pgb-' || :n, 'pay_' || :n, 'pending', 1000, 'USD', '', 0, 0, '')
)
SELECT pg_notify('payments_events', '');
UPDATE idempotency_keys SET response = repeat('x', 420) WHERE scope = 'bench:/payments.v1.PaymentService/RegisterPayment' AND key = 'kr' || :n;
COMMIT;
BEGIN;
INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ('bench:/payments.v1.PaymentService/ConfirmPayment', 'kc' || :n, 'fingerprint', :now)
  ON CONFLICT (scope, key) DO NOTHING RETURNING 1;
SELECT payment_id, order_id, status, amount_minor_units, currency, method, gateway, gateway_payment_id,
    refunded_minor_units, failure_code, failure_message, created_at_micros, confirmed_at_micros, failed_at_micros
  FROM payments WHERE order_id = 'pgb-' || :n AND payment_id = 'pay_' || :n FOR UPDATE;
WITH captured_order AS (
    UPDATE orders SET paid_minor_units = paid_minor_units + 1000
    WHERE order_id = 'pgb-' || :n AND CASE WHEN total_minor_units IS NULL THEN paid_minor_units = 0
        ELSE paid_minor_units + 1000 <= total_minor_units END
    RETURNING 1
), captured_payment AS (
    UPDATE payments SET status = 'succeeded', confirmed_at_micros = :now
    WHERE order_id = 'pgb-' || :n AND payment_id = 'pay_' || :n AND status = 'pending'
        AND EXISTS (SELECT 1 FROM captured_order)
    RETURNING 1
), inserted_event AS (
    INSERT INTO payment_events (event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units,
        currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code)
    SELECT 'evt_c' || :n, 'order.payment.succeeded', :now, 'pgb-' || :n, 'pay_' || :n, 'succeeded', 1000, 'USD', '', 0, 0, ''
    FROM captured_payment
)
SELECT (SELECT count(*) FROM captured_order), (SELECT count(*) FROM captured_payment), pg_notify('payments_events', '');
UPDATE idempotency_keys SET response = repeat('x', 460) WHERE scope = 'bench:/payments.v1.PaymentService/ConfirmPayment' AND key = 'kc' || :n;
COMMIT;
