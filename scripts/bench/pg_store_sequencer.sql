-- The PostgreSQL store's event sequencer, close to how payments-server runs it under load: one call of
-- payments_assign_positions numbers the events the writes inserted, then a pause of 10 ms
-- (PostgresEventSequencer.minimumInterval). The server starts runs 10 ms apart, counting the run's own
-- time, so this script runs somewhat less often than the server does, which favours the reference.
-- scripts/bench.sh runs it on one pgbench client next to the store scripts, so the reference numbers
-- its events as the server does.
SELECT payments_assign_positions(10000);
\sleep 10 ms
