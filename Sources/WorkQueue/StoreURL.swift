// Where the queue lives, as given on the command line or in the daemon's configuration:
// `sqlite:PATH` (the default, `sqlite:./blankett-queue.sqlite`), `outbox:DIR` or
// `postgres://USER@HOST:PORT/DB`. Only the parsing is here, so that WorkQueue stays free of any
// database client; the target QueueStores opens what a URL names.
import BlankettSupport

public enum StoreURL: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case outbox(directory: String)
    case postgres(PostgresAddress)

    public static let `default` = StoreURL.sqlite(path: "./blankett-queue.sqlite")

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(text))
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw BlankettError("store_invalid_url", "a store is sqlite:PATH, outbox:DIR or postgres://USER@HOST:PORT/DB, not \"\(text)\"")
        }
        let scheme = text[..<colon], location = String(text[text.index(after: colon)...])
        guard !location.isEmpty else {
            throw BlankettError("store_invalid_url", "\(scheme): needs a path after the colon")
        }
        switch scheme {
        case "sqlite": self = .sqlite(path: location)
        case "outbox": self = .outbox(directory: location)
        default:
            throw BlankettError("store_invalid_url",
                                "unknown store kind \"\(scheme)\"; use sqlite:PATH, outbox:DIR or postgres://USER@HOST:PORT/DB")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .outbox(let directory): "outbox:\(directory)"
        case .postgres(let address): address.description
        }
    }
}

/// A PostgreSQL server and database: `postgres://USER@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`.
/// A URL never carries the password: it would end up in shell history, in `ps` and in the
/// daemon's log line. One that does is refused, and the refusal does not repeat it.
public struct PostgresAddress: Equatable, Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        /// Plain TCP: for a server on loopback or a trusted private network.
        case disable
        /// TLS when the server offers it, with the system's certificate roots and host name check.
        case prefer
        /// TLS or no connection.
        case require
    }

    public let user: String
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode

    public init(user: String, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    public init(_ text: String) throws {
        let shape = "a PostgreSQL store is postgres://USER@HOST:PORT/DB"
        guard let schemeEnd = text.range(of: "://") else { throw BlankettError("store_invalid_url", shape) }
        var rest = Substring(text[schemeEnd.upperBound...])
        var tls = TLSMode.prefer
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...]
            rest = rest[..<question]
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == "sslmode", let mode = TLSMode(rawValue: parts[1]) else {
                    throw BlankettError("store_invalid_url", "the only option of a PostgreSQL store is sslmode=disable|prefer|require")
                }
                tls = mode
            }
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw BlankettError("store_invalid_url", "\(shape): the user name is missing")
        }
        let userInfo = rest[..<at]
        guard !userInfo.contains(":") else {
            throw BlankettError("store_password_in_url",
                                "a PostgreSQL store URL must not hold a password; give it in PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass)")
        }
        let hostPart = rest[rest.index(after: at)...]
        guard let slash = hostPart.firstIndex(of: "/") else {
            throw BlankettError("store_invalid_url", "\(shape): the database name is missing")
        }
        let database = String(hostPart[hostPart.index(after: slash)...])
        var host = String(hostPart[..<slash]), port = 5432
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
                throw BlankettError("store_invalid_url", "\(shape): the port is a number from 1 to 65535")
            }
            port = number
            host = String(host[..<colon])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let user = String(userInfo)
        guard !user.isEmpty, !host.isEmpty, !database.isEmpty,
              !(user + host + database).contains(where: { $0 == "/" || $0 == "%" || $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true }) else {
            throw BlankettError("store_invalid_url", "\(shape), each part non-empty, without spaces, slashes or percent escapes")
        }
        self.init(user: user, host: host, port: port, database: database, tls: tls)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }
}
