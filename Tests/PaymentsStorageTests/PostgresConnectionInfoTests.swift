import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("PostgreSQL connection description")
struct PostgresConnectionInfoTests {
    @Test(
        "parsed string keeps host, drops password",
        arguments: [
            (
                "postgresql://alice:s3cret@/payments?host=/tmp/pg&port=54399",
                "host=/tmp/pg port=54399 dbname=payments user=alice"
            ),
            (
                "postgresql:///payments?host=/tmp/pg&port=54399&password=s3cret",
                "host=/tmp/pg port=54399 dbname=payments"
            ),
            ("postgres://bob:s3cret@db.internal:6432/ledger", "host=db.internal port=6432 dbname=ledger user=bob"),
            (
                "host=db.internal port=6432 dbname=payments user=app password=s3cret sslpassword=s3cret",
                "host=db.internal port=6432 dbname=payments user=app"
            ),
            ("host='/tmp/my pg' dbname=payments password=s3cret", "host='/tmp/my pg' dbname=payments"),
        ])
    func parsedString(connectionString: String, expected: String) {
        let description = PostgresConnectionInfo.describe(connectionString: connectionString)

        #expect(description == expected)
        #expect(description?.contains("s3cret") == false)
    }

    @Test("unparsable string is not echoed")
    func unparsableString() {
        let description = PaymentStores.descriptionForLogs(url: "host=/tmp/pg password s3cret")

        #expect(description == "a connection string that libpq cannot parse")
    }

    @Test(
        "unparsable string never reaches the connect error",
        arguments: [
            "postgresql://postgres:s3cret@[::1/payments", "postgresql://postgres:s3cret%zz@/payments?host=/tmp/pg",
            "host=/tmp/pg password s3cret",
        ])
    func unparsableConnect(connectionString: String) {
        let error = #expect(throws: PaymentError.self) {
            try PostgresConnection(connectionString: connectionString)
        }

        #expect(error?.code == .storeUnavailable)
        #expect(String(describing: error).contains("s3cret") == false)
        #expect(error?.message.contains("cannot parse") == true)
    }

    @Test("store description without connecting")
    func storeDescription() {
        #expect(PaymentStores.descriptionForLogs(url: "sqlite:var/payments.sqlite") == "sqlite:var/payments.sqlite")
        #expect(PaymentStores.descriptionForLogs(url: "postgresql://") == "PostgreSQL with libpq's defaults")
        #expect(
            PaymentStores.descriptionForLogs(url: "postgresql:///payments?host=/tmp/pg&port=54399")
                == "host=/tmp/pg port=54399 dbname=payments")
    }

    @Test("values with quotes are escaped")
    func quoting() {
        let description = PostgresConnectionInfo.format([("dbname", "it's"), ("host", "a\\b"), ("user", "")])

        #expect(description == "dbname='it\\'s' host='a\\\\b'")
    }

    @Test("open store names its connection", arguments: StoreKind.enabled)
    func openStore(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        defer { location.remove() }
        let store = try await location.open(poolSize: 1)
        let description = store.descriptionForLogs
        await store.close()

        switch kind {
        case .sqlite:
            #expect(description == "sqlite:" + location.address)
        case .postgres:
            let items = URLComponents(string: location.address)?.queryItems ?? []
            let host = try #require(items.first { $0.name == "host" }?.value)
            let port = try #require(items.first { $0.name == "port" }?.value)
            #expect(description == "host=\(host) port=\(port) dbname=payments user=postgres")
        }
    }
}
