// What only the PostgreSQL backend has (the contract itself is StoreContractTests, run against it
// too): its URL and password, the schema migrated once by stores starting together, claims and
// inserts racing across connections, and a server that is down, restarted or drops a connection.
import BlankettSupport
import Foundation
import PostgresQueue
import PostgresTestServer
import QueueStores
import WorkQueue
import XCTest

final class PostgresStoreTests: XCTestCase {
    func testURLsAndThePasswordNeverInThem() throws {
        XCTAssertEqual(try StoreURL("postgres://blankett@db.example:6432/queue"),
                       .postgres(PostgresAddress(user: "blankett", host: "db.example", port: 6432, database: "queue")))
        XCTAssertEqual(try StoreURL("postgresql://robot@10.0.0.5/q?sslmode=require"),
                       .postgres(PostgresAddress(user: "robot", host: "10.0.0.5", database: "q", tls: .require)))
        XCTAssertEqual(try StoreURL("postgres://u@[::1]:5433/q").description, "postgres://u@[::1]:5433/q")
        XCTAssertEqual(try StoreURL("postgres://u@h/q?sslmode=disable").description, "postgres://u@h:5432/q?sslmode=disable")
        for bad in ["postgres://h/q", "postgres://u@h", "postgres://u@h:0/q", "postgres://u@h:x/q", "postgres://u@h/q?ssl=1",
                    "postgres://u@/q", "postgres://u@h/a b"] {
            XCTAssertEqual(QueueFixture.code { try StoreURL(bad) }, "store_invalid_url", bad)
        }
        for secret in ["postgres://u:Hemligt-191212121212@h/q", "postgres://u:@h/q", "postgres://u:p@ss@h:5432/q"] {
            do {
                _ = try StoreURL(secret)
                XCTFail("a URL with a password was taken")
            } catch let error as BlankettError {
                XCTAssertEqual(error.code, "store_password_in_url")
                XCTAssertFalse("\(error)".contains("Hemligt") || "\(error)".contains("ss@h"), "the refusal repeats the password")
            }
        }
    }

    func testPasswordComesFromTheEnvironmentOrAPrivatePasswordFile() throws {
        let address = PostgresAddress(user: "robot", host: "db", port: 5432, database: "queue")
        let folder = try temporaryDirectory()
        let file = folder + "/pgpass"
        try """
            # comment
            other:5432:queue:robot:wrong
            db:5432:*:robot:pa\\:ss\\\\word
            *:*:*:*:fallback
            """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        XCTAssertEqual(try PostgresPassword.find(for: address, environment: ["PGPASSWORD": "env", "PGPASSFILE": file]), "env")
        XCTAssertEqual(try PostgresPassword.find(for: address, environment: ["PGPASSFILE": file]), "pa:ss\\word")
        let elsewhere = PostgresAddress(user: "x", host: "y", database: "z")
        XCTAssertEqual(try PostgresPassword.find(for: elsewhere, environment: ["PGPASSFILE": file]), "fallback")
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: folder + "/home/.pgpass")
        XCTAssertEqual(try PostgresPassword.find(for: address, environment: ["HOME": folder + "/home"]), "pa:ss\\word")
        XCTAssertNil(try PostgresPassword.find(for: address, environment: ["HOME": folder + "/nobody"]))

        chmod(file, 0o644)
        XCTAssertEqual(QueueFixture.code { try PostgresPassword.find(for: address, environment: ["PGPASSFILE": file]) },
                       "store_password_file_insecure")
        XCTAssertEqual(QueueFixture.code { try PostgresPassword.find(for: address, environment: ["PGPASSFILE": folder + "/none"]) },
                       "store_password_file_missing")
    }

    func testAWrongOrMissingPasswordIsRefusedByTheServer() throws {
        let server = try PostgresTestServer.running()
        let url = StoreURL.postgres(try server.freshDatabase())
        for environment in [["PGPASSWORD": "wrong"], [:]] {
            XCTAssertEqual(QueueFixture.code { try url.open(environment: environment).counts() }, "store_auth_failed", "\(environment)")
        }
        XCTAssertEqual(try url.open(environment: ["PGPASSWORD": server.password]).counts()[.applications, .new], 0)
    }

    func testAnUnreachableServerIsATypedErrorAndAStoreOpensBeforeItIsUp() throws {
        let nobody = StoreURL.postgres(PostgresAddress(user: "u", host: "127.0.0.1", port: try PostgresTestServer.freePort(), database: "q"))
        XCTAssertEqual(QueueFixture.code { try nobody.open(options: QueueOptions(readOnly: true)) }, "store_unreachable")
        // Writable: opened without the server, so a daemon starts and its deliveries retry.
        let store = try nobody.open()
        XCTAssertEqual(QueueFixture.code { try store.insert(try QueueFixture.item(1)) }, "store_unreachable")
    }

    func testAReadOnlyStoreNeedsAnExistingQueue() throws {
        let server = try PostgresTestServer.running()
        let address = try server.freshDatabase()
        XCTAssertEqual(QueueFixture.code { try StoreURL.postgres(address).open(options: QueueOptions(readOnly: true)) }, "store_not_found")
        let missing = PostgresAddress(user: server.user, host: address.host, port: address.port, database: "no_such_database")
        XCTAssertEqual(QueueFixture.code { try StoreURL.postgres(missing).open().counts() }, "store_not_found")
    }

    /// Eight stores open a new database at the same moment: all work, the schema is made once.
    func testStoresStartingTogetherMigrateOnce() throws {
        let server = try PostgresTestServer.running()
        let address = try server.freshDatabase()
        let log = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: 8) { n in
            do {
                log.add(try StoreURL.postgres(address).open().insert(try QueueFixture.item(n)).id)
            } catch { log.add(error) }
        }
        XCTAssertEqual(log.errors, [])
        XCTAssertEqual(Set(log.ids).count, 8)
        try server.psql("DO $$ BEGIN IF (SELECT count(*) FROM blankett_schema) <> 1 THEN RAISE 'not one row'; END IF; END $$",
                        database: address.database)

        try server.psql("UPDATE blankett_schema SET version = 99", database: address.database)
        XCTAssertEqual(QueueFixture.code { try StoreURL.postgres(address).open().counts() }, "store_schema_too_new")
        XCTAssertEqual(QueueFixture.code { try StoreURL.postgres(address).open(options: QueueOptions(readOnly: true)) },
                       "store_schema_too_new")
    }

    /// Four stores (four connections), two threads each, claim 200 items: each exactly once. And
    /// the same scan inserted by all of them at once is one item.
    func testClaimsAndInsertsAcrossConnectionsNeverDouble() throws {
        let address = try PostgresTestServer.running().freshDatabase()
        let stores = try (0..<4).map { _ in try StoreURL.postgres(address).open() }
        for n in 0..<200 { _ = try stores[n % 4].insert(try QueueFixture.item(n)) }
        let log = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: 8) { w in
            do {
                while let item = try stores[w % 4].next(queue: .applications, leaseSeconds: 600, worker: "robot-\(w)") {
                    log.add(item.id)
                }
            } catch { log.add(error) }
        }
        XCTAssertEqual(log.errors, [])
        XCTAssertEqual(log.ids.count, 200)
        XCTAssertEqual(Set(log.ids).count, 200)

        let inserts = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: 8) { w in
            do {
                if case .queued(let id) = try stores[w % 4].insert(try QueueFixture.item(1_000)) { inserts.add(id) }
            } catch { inserts.add(error) }
        }
        XCTAssertEqual(inserts.errors, [])
        XCTAssertEqual(inserts.ids.count, 1, "the same scan queued more than once")
        XCTAssertEqual(try stores[0].list(queue: nil, status: .new, limit: 10).count, 1)
    }

    /// The server restarts, then kills the store's connection: the store connects again by itself
    /// and loses nothing that was committed.
    func testTheStoreReconnectsAfterARestartAndADroppedConnection() throws {
        let server = try PostgresTestServer.running()
        let store = try StoreURL.postgres(try server.freshDatabase()).open()
        _ = try store.insert(try QueueFixture.item(1))
        try server.restart()
        XCTAssertEqual(try retryingOnce { try store.insert(try QueueFixture.item(2)) }, .queued(2))

        try server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'blankett'")
        let claimed = try retryingOnce { try store.next(queue: .applications, leaseSeconds: 60, worker: "robot") }
        XCTAssertEqual(claimed?.id, 1)
        XCTAssertEqual(try store.list(queue: nil, status: nil, limit: 10).map(\.status), [.inProgress, .new])
    }

    func testServerErrorsNeverQuoteTheContent() throws {
        let server = try PostgresTestServer.running()
        let address = try server.freshDatabase()
        _ = try StoreURL.postgres(address).open().counts()
        let looking = try StoreURL.postgres(address).open(options: QueueOptions(readOnly: true))
        do {
            _ = try looking.insert(try QueueFixture.item(1))
            XCTFail("a read-only store took an insert")
        } catch let error as BlankettError {
            XCTAssertEqual(error.code, "store_read_only")
            XCTAssertFalse("\(error)".contains(QueueFixture.personnummer))
        }
    }

    /// A dropped connection is noticed either before the next statement (reconnect at once) or by
    /// it (store_unreachable, then the one after reconnects); a second failure is a real one.
    private func retryingOnce<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BlankettError where error.code == "store_unreachable" {
            return try body()
        }
    }

}
