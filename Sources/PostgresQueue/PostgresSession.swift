// The store's one connection to the server, used synchronously: QueueStore is a blocking API
// called from the daemon's worker threads and the command line, never from an event loop, so
// each statement is sent on postgres-nio's EventLoopFuture interface and waited for. One lock
// serialises the threads of a process on the connection, as SQLiteStore does on its file; a
// transaction (BEGIN … COMMIT) runs entirely inside the lock.
//
// The connection is opened on first use, not at init, so a daemon starts while the server is
// down and its deliveries wait and retry. Each new connection first runs `prepare` (the schema
// migration or check). A failure that leaves the connection in doubt (the server went away, the
// socket broke, even mid-transaction) drops it; the server rolls back what was not committed, and
// the next operation connects again.
import BlankettSupport
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import WorkQueue

final class PostgresSession: @unchecked Sendable {
    // @unchecked: `connection` and `connections` are only touched while holding `lock`.
    let address: PostgresAddress
    private let configuration: PostgresConnection.Configuration
    private let prepare: (PostgresLink) throws -> Void
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var watch = CloseWatch()
    private var connections = 0
    /// postgres-nio logs protocol events, and at trace level the statements; the store reports
    /// failures itself as typed errors, so nothing of the library's reaches the daemon's log.
    private static let silent = Logger(label: "blankett.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(address: PostgresAddress, password: String?, readOnly: Bool,
         prepare: @escaping (PostgresLink) throws -> Void) throws {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch address.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw BlankettError("store_tls_unavailable", "cannot set up TLS for the PostgreSQL connection: \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: address.host, port: address.port, username: address.user,
                                                             password: password, database: address.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        // A statement waits at most 30 s (a lock held by a stuck client); a client that died inside a
        // transaction releases its row locks after 60 s at the latest.
        configuration.options.additionalStartupParameters = [
            ("application_name", "blankett"), ("statement_timeout", "30000"),
            ("idle_in_transaction_session_timeout", "60000"),
        ] + (readOnly ? [("default_transaction_read_only", "on")] : [])
        self.address = address
        self.configuration = configuration
        self.prepare = prepare
    }

    deinit {
        connection.map(Self.close)
    }

    /// Runs `body` on a live connection, holding the lock.
    func run<T>(_ body: (PostgresLink) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body(try connected())
        } catch let error as BlankettError {
            if PostgresFailure.losesConnection(error) { drop() }
            throw error
        }
    }

    private func connected() throws -> PostgresLink {
        if let connection, !connection.isClosed { return PostgresLink(connection: connection, address: address, watch: watch) }
        drop()
        connections += 1
        let fresh: PostgresConnection
        do {
            fresh = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.next(), configuration: configuration,
                                                   id: connections, logger: Self.silent).wait()
        } catch {
            throw PostgresFailure.typed(error, address: address)
        }
        let watch = CloseWatch()
        fresh.closeFuture.whenComplete { _ in watch.closed() }
        let link = PostgresLink(connection: fresh, address: address, watch: watch)
        do {
            try prepare(link)
        } catch {
            Self.close(fresh)
            throw error
        }
        connection = fresh
        self.watch = watch
        return link
    }

    private func drop() {
        connection.map(Self.close)
        connection = nil
    }

    /// Without waiting: a connection in doubt may never answer the goodbye. The callback holds the
    /// connection until the close has finished, since postgres-nio asserts (in debug builds) that a
    /// connection is never freed while open.
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}

/// The connection as the store's code uses it, only inside `PostgresSession.run`.
struct PostgresLink {
    let connection: PostgresConnection
    let address: PostgresAddress
    let watch: CloseWatch

    /// No statement waits longer on the server (statement_timeout); beyond this the link is dead.
    static let answerDeadline = TimeAmount.seconds(60)

    /// Runs one statement (values bound, never spliced) and returns its rows.
    ///
    /// The answer is awaited together with the connection's closing (`CloseWatch`): a statement
    /// written to a connection the server has just closed is never answered by postgres-nio (the
    /// write finds no handler left to fail it), and a robot waited for it forever when the server
    /// restarted.
    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        watch.awaiting(answer, failure: PostgresFailure.unreachable(address, "the server closed the connection"))
        defer { watch.answered() }
        if connection.isClosed { watch.closed() }
        connection.query(query, logger: connection.logger).cascade(to: answer)
        let deadline = connection.eventLoop.scheduleTask(in: Self.answerDeadline) {
            answer.fail(PostgresFailure.unreachable(address, "no answer within \(Self.answerDeadline.nanoseconds / 1_000_000_000) s"))
        }
        defer { deadline.cancel() }
        do {
            return try answer.futureResult.wait()
        } catch {
            throw PostgresFailure.typed(error, address: address)
        }
    }

    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}

/// Fails the one statement awaiting its answer on a connection when that connection closes. One
/// per connection, registered once on its close future (a callback per statement would pile up
/// there for the connection's life); the session's lock means one statement at a time.
final class CloseWatch: @unchecked Sendable {
    // @unchecked: the fields are touched only under `lock`.
    private let lock = NSLock()
    private var pending: (promise: EventLoopPromise<PostgresQueryResult>, failure: BlankettError)?
    private var isClosed = false

    func awaiting(_ promise: EventLoopPromise<PostgresQueryResult>, failure: BlankettError) {
        lock.lock()
        pending = (promise, failure)
        let closed = isClosed
        lock.unlock()
        if closed { promise.fail(failure) }
    }

    func answered() {
        lock.lock()
        pending = nil
        lock.unlock()
    }

    func closed() {
        lock.lock()
        isClosed = true
        let pending = self.pending
        lock.unlock()
        pending.map { $0.promise.fail($0.failure) }
    }
}
