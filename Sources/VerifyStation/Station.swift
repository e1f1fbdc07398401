// What every controller of the station shares: the store, the template and its checks, the
// lease, and the steps that recur (find an item the clerk holds, claim the next one).
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate
import Hummingbird
import Logging
import Verification
import WorkQueue

public struct StationSettings: Sendable {
    /// A claimed item is the clerk's for this long; the open page renews it every third of it.
    public var leaseSeconds = 300
    /// A session unused this long ends (the clerk walked away from the desk).
    public var idleSeconds: TimeInterval = 30 * 60
    /// Cookies are marked Secure, and HSTS sent, when the station serves TLS.
    public var tls = false
    public var clock: @Sendable () -> Date = { Date() }

    public init() {}
}

final class Station: Sendable {
    let store: any VerificationStore
    let template: FormTemplate
    let check: FieldCheck
    let settings: StationSettings

    init(store: any VerificationStore, template: FormTemplate, check: FieldCheck, settings: StationSettings) {
        self.store = store
        self.template = template
        self.check = check
        self.settings = settings
    }

    var today: CalendarDate { .today(at: settings.clock()) }

    /// The store's answer as an HTTP one; runs off the cooperative threads.
    func call<T: Sendable>(_ body: @escaping @Sendable (any VerificationStore) throws -> T) async throws -> T {
        let store = self.store
        do {
            return try await Blocking.run { try body(store) }
        } catch let error as BlankettError {
            throw Self.http(error)
        }
    }

    static func http(_ error: BlankettError) -> HTTPError {
        switch error.code {
        case "queue_item_not_found": HTTPError(.notFound, message: "No such item.")
        case "queue_item_not_held", "queue_invalid_transition": HTTPError(.conflict, message: Personnummer.redacted(error.message))
        case "store_busy", "store_unavailable": HTTPError(.serviceUnavailable, message: "The queue is busy or unreachable; try again.")
        default: HTTPError(.internalServerError, message: "\(error.code): \(Personnummer.redacted(error.message))")
        }
    }

    /// The item, if `clerk` holds its lease: 404 for what is not a verification item, 409 for one
    /// that is someone else's or no one's.
    func held(_ id: Int64, by clerk: String) async throws -> QueueItem {
        try requireHeld(try await call { try $0.show(id) }, by: clerk)
    }

    func requireHeld(_ item: QueueItem, by clerk: String) throws -> QueueItem {
        guard item.queue == .verification else { throw HTTPError(.notFound, message: "No such item.") }
        do { try item.requireHeld(by: clerk) } catch let error as BlankettError { throw Self.http(error) }
        return item
    }

    /// The forms `clerk` holds: one, normally.
    static func items(heldBy clerk: String, in store: any VerificationStore) throws -> [QueueItem] {
        try store.list(queue: .verification, status: .inProgress, limit: Int.max).filter { $0.worker == clerk }
    }

    /// Claims the next form for the clerk and opens it, or goes back to the list when none is left.
    func openNext(_ context: ClerkContext) async throws -> Response {
        let clerk = context.clerk, skipped = Set(context.skipped), lease = settings.leaseSeconds
        // One form at a time: a clerk who already holds one (a second tab, Back and Next) gets it again.
        let item = try await call { store -> QueueItem? in
            try Self.items(heldBy: clerk, in: store).first
                ?? store.next(queue: .verification, leaseSeconds: lease, worker: clerk, skipping: skipped)
        }
        guard let item else { return .redirect(to: "/?done=1") }
        context.logger.info("claimed verification item", metadata: ["item": "\(item.id)", "clerk": "\(clerk)"])
        return .redirect(to: "/items/\(item.id)")
    }
}
