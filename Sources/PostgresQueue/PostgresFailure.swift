// What went wrong with the server, as the queue's typed errors: the daemon and the robots act on
// the code (store_unreachable and store_busy are worth another try; store_auth_failed,
// store_not_found and the schema codes need a person). Messages come from the SQLSTATE and the
// server's primary message only, never its DETAIL, which can quote a row and so the content.
import BlankettSupport
import NIOCore
import PostgresNIO
import WorkQueue

enum PostgresFailure {
    static func typed(_ error: any Error, address: PostgresAddress) -> BlankettError {
        if let error = error as? BlankettError { return error }
        guard let error = error as? PSQLError else { return unreachable(address, "\(error)") }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "XX000"
            let message = error.serverInfo?[.message] ?? "no message"
            return BlankettError(code(sqlState: state), "PostgreSQL at \(address.host):\(address.port) said \(state): \(message)")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            // The underlying error says why (connection refused, reset …) unless it is postgres-nio's
            // own, whose description is deliberately empty.
            let reason = error.underlying.flatMap { $0 is PSQLError ? nil : "\($0)" } ?? "\(error.code)"
            return unreachable(address, reason)
        case .sslUnsupported:
            return BlankettError("store_tls_unavailable",
                                 "the PostgreSQL server at \(address.host):\(address.port) offers no TLS and the URL asks for sslmode=require")
        case .authMechanismRequiresPassword:
            return BlankettError("store_auth_failed",
                                 "the PostgreSQL server asks user \(address.user) for a password: set PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass)")
        default:
            return BlankettError("store_failed", "the PostgreSQL connection failed: \(error.code)")
        }
    }

    static func unreachable(_ address: PostgresAddress, _ reason: String) -> BlankettError {
        BlankettError("store_unreachable", "the PostgreSQL server at \(address.host):\(address.port) cannot be reached (\(reason))")
    }

    /// SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
    static func code(sqlState: String) -> String {
        switch sqlState {
        case "57P01", "57P02", "57P03": "store_unreachable"  // shut down, crashed, starting up
        case "3D000": "store_not_found"
        case "40001", "40P01", "55P03", "57014": "store_busy"  // serialisation, deadlock, lock wait, timeout
        case "25006": "store_read_only"
        case _ where sqlState.hasPrefix("08"): "store_unreachable"
        case _ where sqlState.hasPrefix("28"): "store_auth_failed"
        case _ where sqlState.hasPrefix("53"): "store_busy"  // too many connections, out of memory or disk
        default: "store_failed"
        }
    }

    /// A failure after which the connection cannot be trusted: it is dropped and the next
    /// operation connects anew.
    static func losesConnection(_ error: BlankettError) -> Bool {
        error.code == "store_unreachable"
    }
}
