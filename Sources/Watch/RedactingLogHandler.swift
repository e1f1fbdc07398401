// The one boundary every log line crosses: the message and each metadata value go through the
// redaction, so a personnummer in a path (the inbox, the store, an error quoting either) is masked
// and a control character in a file name cannot forge a line, whatever the call site passed.
import FieldRules
import Logging

struct RedactingLogHandler: LogHandler {
    var inner: any LogHandler

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        inner.log(level: level, message: "\(Personnummer.redacted(message.description))",
                  metadata: metadata.map(Self.redacted), source: source, file: file, function: function, line: line)
    }

    /// Hex the daemon computed itself, which may hold ten digits in a row and must stay intact.
    private static let verbatim: Set = ["sha256"]

    private static func redacted(_ metadata: Logger.Metadata) -> Logger.Metadata {
        Dictionary(uniqueKeysWithValues: metadata.map { key, value in
            (key, verbatim.contains(key) ? value : .string(Personnummer.redacted(value.description)))
        })
    }
}
