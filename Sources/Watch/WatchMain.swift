// The process around a daemon or a server: logging to stderr through the redaction, the service
// group that turns SIGTERM/SIGINT into a graceful shutdown, and a bridge for a synchronous
// command-line entry point. `blankett watch` and `blankett verify serve` both run through it.
import Foundation
import Logging
import FormReader
import ServiceLifecycle

public enum ServiceProcess {
    public static func isLogLevel(_ text: String) -> Bool { Logger.Level(rawValue: text) != nil }

    /// Every log line of the process goes to stderr, masked and escaped (RedactingLogHandler).
    public static func bootstrapLogging(level text: String) {
        let level = Logger.Level(rawValue: text) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(inner: StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }

    /// Runs `services` until SIGTERM or SIGINT and they have shut down. Blocks the calling thread
    /// (not one of the concurrency pool's); throws when a service failed.
    public static func runUntilStopped(_ services: [any Service], logger: Logger) throws {
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                 cancellationSignals: [], logger: logger)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await group.run() } catch { outcome.set(error) }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Error?
        func set(_ error: Error) { lock.lock(); value = error; lock.unlock() }
        var error: Error? { lock.lock(); defer { lock.unlock() }; return value }
    }
}

extension WatchDaemon {
    public static func isLogLevel(_ text: String) -> Bool { ServiceProcess.isLogLevel(text) }

    /// Runs the daemon until SIGTERM or SIGINT and it has finished the files in flight.
    public static func runUntilStopped(configuration: WatchConfiguration, readers: [FormReader], logLevel: String) throws {
        ServiceProcess.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "blankett.watch")
        let daemon: WatchDaemon
        do {
            daemon = try WatchDaemon(configuration: configuration, readers: readers, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw error
        }
        do {
            try ServiceProcess.runUntilStopped([daemon], logger: logger)
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
