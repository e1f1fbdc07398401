// The station's middleware, outermost first: security headers on every answer; the session
// (hummingbird-auth's SessionMiddleware, in StationApp); ClerkMiddleware, which sends anyone
// without a live session to the log-in page; CSRFMiddleware, which refuses a POST without the
// session's token.
import BlankettSupport
import Foundation
import Hummingbird
import HummingbirdAuth
import HTTPTypes

/// No inline script or style, nothing from elsewhere, no framing, nothing cached: the pages hold
/// personal data and the station must not be embeddable in another site's page.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = StationContext
    let tls: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as HTTPError {
            response = Pages.error(error.status, error.body ?? error.status.reasonPhrase)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

/// Every route behind it needs a live session; an idle one ends after `idleSeconds`.
struct ClerkMiddleware: RouterMiddleware {
    typealias Context = StationContext
    let idleSeconds: TimeInterval
    let clock: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard var session = context.sessions.session else { return Self.toLogin(request) }
        let now = clock()
        guard now.timeIntervalSince(session.lastSeen) <= idleSeconds else {
            context.sessions.clearSession()
            return Self.toLogin(request)
        }
        session.lastSeen = now
        context.sessions.setSession(session)
        var context = context
        context.clerk = session.clerk
        return try await next(request, context)
    }

    /// A page is sent to the log-in form; a script's call gets 401 it can act on.
    static func toLogin(_ request: Request) -> Response {
        if request.method == .get, !request.uri.path.hasSuffix("/renew") {
            return .redirect(to: "/login", type: .found)
        }
        return Pages.error(.unauthorized, "Your session has ended. Log in again.")
    }
}

/// Every POST carries the session's token, as the form field `csrf` or the header X-CSRF-Token.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = ClerkContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let sent = request.headers[.xCSRFToken] ?? FormBody(body).values["csrf"]
        guard let expected = context.sessions.session?.csrf, let sent, Self.same(sent, expected) else {
            return Pages.error(.forbidden, "The form was not sent by this station (missing or wrong CSRF token). Reload the page.")
        }
        return try await next(request, context)
    }

    /// In constant time, so that the token cannot be guessed byte by byte from response times.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func newToken() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

extension HTTPField.Name {
    static let xCSRFToken = Self("X-CSRF-Token")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
