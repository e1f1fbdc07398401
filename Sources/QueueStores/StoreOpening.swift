// Opens the backend a store URL names. This is the one place that knows every backend, so that
// WorkQueue (SQLite and the outbox, no network client) does not depend on postgres-nio, and the
// command-line tool and the daemon, which take any store, depend on this instead.
import Foundation
import PostgresQueue
import WorkQueue

extension StoreURL {
    /// `environment` holds PGPASSWORD / PGPASSFILE / HOME for a PostgreSQL store's password.
    public func open(options: QueueOptions = QueueOptions(),
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any QueueStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path, options: options)
        case .outbox(let directory): try OutboxStore(directory: directory, options: options)
        case .postgres(let address):
            try PostgresStore(address: address, password: try PostgresPassword.find(for: address, environment: environment),
                              options: options)
        }
    }
}
