-- The PostgreSQL store's RegisterPayment and ConfirmPayment as PostgresFastPath runs them on the server's
-- schema: register and confirm are one autocommit statement each, so one script run is two commits, like
-- one register+confirm operation of the server. Confirm builds its event and stored response from the
-- updated row in SQL, as the server's statement does.
-- Ids are random 63-bit numbers, so runs do not collide with each other or with the server's rows.
-- scripts/bench.sh runs pg_store_sequencer.sql next to it, which numbers the events these writes insert.
\set n random(1, 9000000000000000000)
\set now 1764880000000000
WITH upserted_order AS (
    INSERT INTO orders AS o (order_id, currency, total_minor_units, paid_minor_units, payment_count, created_at_micros)
    SELECT 'pgb-' || :n, 'USD', NULL::bigint, 0, 1, :now
    WHERE NULL::bigint IS NULL OR 1000 <= NULL::bigint
    ON CONFLICT (order_id) DO UPDATE SET
        payment_count = o.payment_count + 1,
        total_minor_units = COALESCE(o.total_minor_units, excluded.total_minor_units)
    WHERE o.currency = excluded.currency
        AND (excluded.total_minor_units IS NULL OR o.total_minor_units IS NULL
            OR o.total_minor_units = excluded.total_minor_units)
        AND CASE WHEN COALESCE(o.total_minor_units, excluded.total_minor_units) IS NULL
            THEN o.paid_minor_units = 0
            ELSE o.paid_minor_units + 1000 <= COALESCE(o.total_minor_units, excluded.total_minor_units)
        END
    RETURNING o.payment_count
), inserted_payment AS (
    INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method, gateway,
        gateway_payment_id, created_at_micros)
    SELECT 'pgb-' || :n, 'pay_' || :n, payment_count, 'pending', 1000, 'USD', 'cash', 'pos', '', :now
    FROM upserted_order
    RETURNING 1
), inserted_event AS (
    INSERT INTO payment_events (event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units,
        currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code)
    SELECT 'evt_r' || :n, 'order.payment.pending', :now, 'pgb-' || :n, 'pay_' || :n, 'pending', 1000, 'USD', '', 0, 0, ''
    FROM inserted_payment
), claimed_key AS (
    INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at_micros)
    SELECT 'bench:/payments.v1.PaymentService/RegisterPayment', 'kr' || :n, 'fingerprint', repeat('x', 420), :now
    FROM inserted_payment
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING 1
)
SELECT payments_require((SELECT count(*) FROM inserted_payment) = 1 AND (SELECT count(*) FROM claimed_key) = 1);
WITH captured_payment AS (
    UPDATE payments SET status = 'succeeded', confirmed_at_micros = :now
    WHERE order_id = 'pgb-' || :n AND payment_id = 'pay_' || :n AND status = 'pending'
    RETURNING payment_id, order_id, status, amount_minor_units, currency, method, gateway, gateway_payment_id,
        refunded_minor_units, failure_code, failure_message, created_at_micros, confirmed_at_micros, failed_at_micros
), captured_order AS (
    UPDATE orders AS o SET paid_minor_units = o.paid_minor_units + p.amount_minor_units
    FROM captured_payment AS p
    WHERE o.order_id = 'pgb-' || :n
        AND CASE WHEN o.total_minor_units IS NULL THEN o.paid_minor_units = 0
            ELSE o.paid_minor_units + p.amount_minor_units <= o.total_minor_units END
    RETURNING 1
), inserted_event AS (
    INSERT INTO payment_events (event_id, type, occurred_at_micros, order_id, payment_id, status, amount_minor_units,
        currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code)
    SELECT 'evt_c' || :n, 'order.payment.succeeded', :now, p.order_id, p.payment_id, p.status, p.amount_minor_units,
        p.currency, '', 0, p.refunded_minor_units, p.failure_code
    FROM captured_payment AS p, captured_order
), claimed_key AS (
    INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at_micros)
    SELECT 'bench:/payments.v1.PaymentService/ConfirmPayment', 'kc' || :n, 'fingerprint',
        '{"amountMinorUnits":' || p.amount_minor_units || ',"confirmedAtMicros":' || p.confirmed_at_micros
        || ',"createdAtMicros":' || p.created_at_micros || ',"currency":' || replace(to_json(p.currency)::text, '/', '\/')
        || ',"failedAtMicros":' || p.failed_at_micros
        || ',"failureCode":' || replace(to_json(p.failure_code)::text, '/', '\/')
        || ',"failureMessage":' || replace(to_json(p.failure_message)::text, '/', '\/')
        || ',"gateway":' || replace(to_json(p.gateway)::text, '/', '\/')
        || ',"gatewayPaymentID":' || replace(to_json(p.gateway_payment_id)::text, '/', '\/')
        || ',"method":' || replace(to_json(p.method)::text, '/', '\/')
        || ',"orderID":' || replace(to_json(p.order_id)::text, '/', '\/')
        || ',"paymentID":' || replace(to_json(p.payment_id)::text, '/', '\/')
        || ',"refundedMinorUnits":' || p.refunded_minor_units || ',"refunds":' || '[]'
        || ',"status":' || replace(to_json(p.status)::text, '/', '\/') || '}',
        :now
    FROM captured_payment AS p, captured_order
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING 1
)
SELECT p.payment_id, p.order_id, p.status, p.amount_minor_units, p.currency, p.method, p.gateway,
    p.gateway_payment_id, p.refunded_minor_units, p.failure_code, p.failure_message, p.created_at_micros,
    p.confirmed_at_micros, p.failed_at_micros,
    payments_require((SELECT count(*) FROM captured_order) = 1 AND (SELECT count(*) FROM claimed_key) = 1)
FROM (SELECT 1) AS one LEFT JOIN captured_payment AS p ON true;
