import Foundation
import PaymentsAuth
import PaymentsCommandLine
import PaymentsLogging
import PaymentsService
import PaymentsStorage
import RPCTransport
import Synchronization

/// Starts, runs and stops one server process.
struct ServerRunner {
    let options: ServerOptions
    let logger: Logger

    /// Runs until SIGTERM or SIGINT drained the server; returns the process exit status.
    func run() async -> Int32 {
        let authenticator: TokenAuthenticator
        do {
            authenticator = try openTokens()
        } catch {
            logger.critical("cannot load tokens", metadata: ["error": "\(error)"])
            return 1
        }

        let store: any PaymentStore
        do {
            store = try await PaymentStores.open(
                url: options.store, poolSize: options.storePoolSize, sqliteSpin: options.sqliteSpin,
                logger: logger.withLabel("payments.store"))
        } catch {
            logger.critical(
                "cannot open the store",
                metadata: ["store": PaymentStores.descriptionForLogs(url: options.store), "error": "\(error)"])
            return 1
        }

        let application = PaymentsApplication(
            store: store, authenticator: authenticator, logger: logger,
            watchSettings: EventWatchSettings(stallTimeout: options.watchStallTimeout))
        var configuration = transportConfiguration
        // A SQLite write waits for the disk on the writer thread while the CPUs idle, so the event loops poll
        // for its result rather than sleep and be woken. PostgreSQL needs those CPUs for itself.
        // NOTE: at one call in flight, the loop and the writer keep up to about 1.5 CPUs busy (measured on
        // 2 cores); --sqlite-spin 0 gives them back at the price of the wake-ups.
        if let sqlite = store as? SQLitePaymentStore, options.sqliteSpin > .zero {
            configuration.spinWait = SpinWait(limit: options.sqliteSpin) { sqlite.hasWritesInFlight }
        }
        let server = RPCServer(
            configuration: configuration, services: application.services,
            logger: logger.withLabel("rpc.server"))
        let address: SocketAddress
        do {
            address = try server.start()
        } catch {
            logger.critical(
                "cannot listen",
                metadata: ["address": "\(options.listenHost):\(options.listenPort)", "error": "\(error)"])
            await store.close()
            return 1
        }
        // The PostgreSQL statements of a call then go out and come back on the loop that serves the call.
        if let postgres = store as? PostgresPaymentStore {
            postgres.runStatements(on: server.eventLoops.map(EventLoopStatementReactor.init))
        }
        logger.info(
            "listening",
            metadata: [
                "address": address.description, "version": PaymentsVersion.current,
                "store": store.descriptionForLogs, "tokens": authenticator.path,
                "tokens.count": String(authenticator.tokenCount),
            ])

        let signals = installSignalHandlers(server: server, application: application, authenticator: authenticator)
        let maintenance = Task { await runMaintenance(store: store, application: application) }

        await server.waitUntilStopped()
        maintenance.cancel()
        signals.cancel()
        await store.close()

        let statistics = server.statistics
        logger.info(
            "stopped",
            metadata: [
                "connections.accepted": String(statistics.acceptedConnections),
                "calls.started": String(statistics.callsStarted), "calls.completed": String(statistics.callsCompleted),
                "calls.ended_early": String(statistics.callsEndedEarly),
            ])
        return 0
    }

    private func openTokens() throws -> TokenAuthenticator {
        if let directory = options.developmentTokenDirectory {
            let files = try DevelopmentToken.ensure(directory: directory)
            logger.info(
                files.created ? "created a development token" : "using the development token",
                metadata: ["token.file": files.secretFilePath, "tokens": files.tokenFilePath])
            return try TokenAuthenticator(path: options.tokensPath ?? files.tokenFilePath)
        }
        guard let path = options.tokensPath else {
            throw ServerStartError.noTokenFile
        }
        return try TokenAuthenticator(path: path)
    }

    private var transportConfiguration: RPCServerConfiguration {
        RPCServerConfiguration(
            host: options.listenHost, port: options.listenPort,
            eventLoopCount: options.eventLoopThreads ?? RPCServerConfiguration.defaultLoopCount,
            maxFrameSize: UInt32(options.maxFrameSize), maxMessageSize: UInt32(options.maxMessageSize),
            maxConcurrentCallsPerConnection: UInt32(options.maxConcurrentCalls), maxConnections: options.maxConnections,
            handshakeTimeout: options.handshakeTimeout, idleTimeout: options.idleTimeout,
            writeStallTimeout: options.writeStallTimeout, initialStreamCredit: UInt32(options.streamCredit),
            drainTimeout: options.drainTimeout)
    }

    private func installSignalHandlers(
        server: RPCServer, application: PaymentsApplication, authenticator: TokenAuthenticator
    ) -> SignalWatcher {
        let stopRequests = Atomic<Int>(0)
        let logger = self.logger
        return SignalWatcher(
            onStop: { signalNumber in
                let count = stopRequests.add(1, ordering: .relaxed).newValue
                if count == 1 {
                    logger.info("draining", metadata: ["signal": String(signalNumber)])
                    application.health.markNotServing()
                    server.beginGracefulShutdown()
                } else {
                    logger.warning("stopping now", metadata: ["signal": String(signalNumber)])
                    server.stopNow()
                }
            },
            onReload: {
                do {
                    let count = try authenticator.reload()
                    logger.info(
                        "tokens reloaded", metadata: ["tokens": authenticator.path, "tokens.count": String(count)])
                } catch {
                    logger.error("token reload failed; keeping the previous tokens", metadata: ["error": "\(error)"])
                }
            })
    }

    /// Purges expired events and idempotency keys and logs the bad-token summary.
    ///
    /// Purges run every quarter of the event retention, at least every second and at most every minute.
    private func runMaintenance(store: any PaymentStore, application: PaymentsApplication) async {
        let purgeInterval = min(max(options.eventRetention / 4, .seconds(1)), .seconds(60))
        var lastPurge = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            application.logSecuritySummaryIfDue()
            if ContinuousClock.now - lastPurge >= purgeInterval {
                lastPurge = .now
                do {
                    let summary = try await store.purge(
                        eventRetention: options.eventRetention, idempotencyKeyRetention: .seconds(86_400))
                    if summary.deletedEvents > 0 || summary.deletedIdempotencyKeys > 0 {
                        logger.info(
                            "purged expired records",
                            metadata: [
                                "events.deleted": String(summary.deletedEvents),
                                "idempotency_keys.deleted": String(summary.deletedIdempotencyKeys),
                            ])
                    }
                } catch {
                    logger.error("purge failed", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

enum ServerStartError: Error, CustomStringConvertible {
    case noTokenFile

    var description: String {
        "no token file: pass --tokens PATH (create one with 'payments token create --tokens PATH --name NAME --scopes ...') "
            + "or --development-tokens DIR for a development token"
    }
}
