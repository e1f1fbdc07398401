// The process around the daemon: logging to stderr, the service group that turns SIGTERM/SIGINT
// into a graceful shutdown, and a bridge for a synchronous command-line entry point.
import Foundation
import Logging
import FormReader
import ServiceLifecycle

extension WatchDaemon {
    public static func isLogLevel(_ text: String) -> Bool { Logger.Level(rawValue: text) != nil }

    /// Runs the daemon until SIGTERM or SIGINT and it has finished the files in flight. Blocks the
    /// calling thread (not one of the concurrency pool's); throws when the daemon failed.
    public static func runUntilStopped(configuration: WatchConfiguration, readers: [FormReader], logLevel: String) throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(inner: StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "blankett.watch")
        let daemon: WatchDaemon
        do {
            daemon = try WatchDaemon(configuration: configuration, readers: readers, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw error
        }
        let group = ServiceGroup(services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint],
                                 cancellationSignals: [], logger: logger)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await group.run() } catch { outcome.set(error) }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Error?
        func set(_ error: Error) { lock.lock(); value = error; lock.unlock() }
        var error: Error? { lock.lock(); defer { lock.unlock() }; return value }
    }
}
