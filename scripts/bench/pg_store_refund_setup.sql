-- Confirmed payments of 1,000,000,000 minor units for pg_store_refund.sql, one per order, in the server's schema.
-- psql -v payments=N runs it.
INSERT INTO orders (order_id, currency, total_minor_units, paid_minor_units, payment_count, created_at_micros)
  SELECT 'pgb-refund-' || i, 'USD', NULL, 1000000000, 1, 0 FROM generate_series(1, :payments) i
  ON CONFLICT DO NOTHING;
INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method, gateway,
    gateway_payment_id, created_at_micros, confirmed_at_micros)
  SELECT 'pgb-refund-' || i, 'pay_refund_' || i, 1, 'succeeded', 1000000000, 'USD', 'cash', 'pos', '', 0, 0
  FROM generate_series(1, :payments) i
  ON CONFLICT DO NOTHING;
