// The station's typed request context: the session (who is logged in, their CSRF token, what
// they skipped) as hummingbird-auth keeps it, and the clerk once `ClerkMiddleware` has checked it.
import Foundation
import Hummingbird
import HummingbirdAuth
import NIOCore

public struct StationSession: Codable, Sendable {
    var clerk: String
    var csrf: String
    /// Items this clerk skipped: Next passes them over for the rest of the session.
    var skipped: [Int64] = []
    var lastSeen: Date
}

public struct StationContext: RequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<StationSession>
    /// Set by ClerkMiddleware for every route behind it.
    var clerk: String?
    /// The client's address, for slowing failed log-ins; nil in router tests.
    let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { 64 << 10 }
}

/// The context of every route behind ClerkMiddleware: the clerk is known, not optional.
struct ClerkContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<StationSession>
    let clerk: String

    init(context: StationContext) throws {
        guard let clerk = context.clerk else { throw HTTPError(.unauthorized, message: "Log in first.") }
        coreContext = context.coreContext
        sessions = context.sessions
        self.clerk = clerk
    }

    var maxUploadSize: Int { 64 << 10 }

    var csrf: String { sessions.session?.csrf ?? "" }

    /// The forms this clerk skipped this session: Next passes them over.
    var skipped: [Int64] { sessions.session?.skipped ?? [] }

    func skip(_ id: Int64) {
        guard var session = sessions.session else { return }
        if !session.skipped.contains(id) { session.skipped.append(id) }
        _ = sessions.updateSession(session)
    }
}
