// Where the queue lives, as given on the command line or in the daemon's configuration:
// `sqlite:PATH` (the default, `sqlite:./blankett-queue.sqlite`) or `outbox:DIR`.
import BlankettSupport

public enum StoreURL: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case outbox(directory: String)

    public static let `default` = StoreURL.sqlite(path: "./blankett-queue.sqlite")

    public init(_ text: String) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw BlankettError("store_invalid_url", "a store is sqlite:PATH or outbox:DIR, not \"\(text)\"")
        }
        let scheme = text[..<colon], location = String(text[text.index(after: colon)...])
        guard !location.isEmpty else {
            throw BlankettError("store_invalid_url", "\(scheme): needs a path after the colon")
        }
        switch scheme {
        case "sqlite": self = .sqlite(path: location)
        case "outbox": self = .outbox(directory: location)
        default: throw BlankettError("store_invalid_url", "unknown store kind \"\(scheme)\"; use sqlite:PATH or outbox:DIR")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .outbox(let directory): "outbox:\(directory)"
        }
    }

    public func open(options: QueueOptions = QueueOptions()) throws -> any QueueStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path, options: options)
        case .outbox(let directory): try OutboxStore(directory: directory, options: options)
        }
    }
}
