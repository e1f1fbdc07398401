// The one public error type: a stable machine-readable `code` for robots and logs,
// and a message for people. Messages never carry a personnummer in plain text.
public struct BlankettError: Error, Equatable, CustomStringConvertible, Sendable {
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
