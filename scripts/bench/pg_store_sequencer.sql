-- The PostgreSQL store's event sequencer as payments-server runs it under load: one call of
-- payments_assign_positions numbers the events the writes inserted, then a pause of
-- PostgresEventSequencer.minimumInterval. scripts/bench.sh runs it on one pgbench client next to the
-- store scripts, so the reference positions its events as the server does.
SELECT payments_assign_positions(10000);
\sleep 10 ms
