// Log-in and log-out. The log-in form has its own CSRF token (a cookie and a form field that must
// match), since there is no session yet to hold one. A failed log-in answers the same, in the same
// time, for a wrong password as for an unknown name, and is slowed per name and per address.
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import WorkQueue

struct AuthController {
    let station: Station
    let clerks: Clerks
    let throttle: LoginThrottle

    static let loginCookie = "blankett_login"

    func addRoutes(to router: Router<StationContext>) {
        router.get("/login") { _, _ in self.form() }
        router.post("/login") { request, context in try await self.login(request, context) }
    }

    func addLogout(to group: RouterGroup<ClerkContext>) {
        group.post("/logout") { _, context in try await self.logout(context) }
    }

    private func form(message: Pages.Message? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = CSRFMiddleware.newToken()
        var response = Pages.page("login", title: "Log in", values: [:], clerk: nil, csrf: token, message: message, status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/login", secure: station.settings.tls,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    private func login(_ request: Request, _ context: StationContext) async throws -> Response {
        let fields = try await FormBody.values(of: request, limit: context.maxUploadSize)
        guard let sent = fields["csrf"], let cookie = request.cookies[Self.loginCookie]?.value,
              CSRFMiddleware.same(sent, cookie) else {
            return Pages.error(.forbidden, "The log-in form was not sent by this station (missing or wrong CSRF token). Reload the page.")
        }
        let name = fields["name"] ?? "", password = fields["password"] ?? ""
        let keys = ["user:" + name, "address:" + (context.remoteAddress ?? "unknown")]
        let wait = await throttle.wait(keys)
        if wait > 0 {
            return form(message: .init(text: "Too many failed log-ins. Try again in \(Int(wait.rounded(.up))) seconds.", kind: "error"),
                        status: .tooManyRequests)
        }
        let clerks = self.clerks
        let valid = try await Blocking.run { clerks.verify(name, password: password) }
        guard valid else {
            await throttle.failed(keys)
            context.logger.notice("failed log-in", metadata: ["address": "\(context.remoteAddress ?? "unknown")"])
            return form(message: .init(text: "Wrong name or password.", kind: "error"), status: .unauthorized)
        }
        await throttle.succeeded(["user:" + name])
        // A new session id at every log-in, so a planted cookie never becomes a logged-in one.
        context.sessions.createSession(StationSession(clerk: name, csrf: CSRFMiddleware.newToken(), lastSeen: station.settings.clock()))
        context.logger.info("logged in", metadata: ["clerk": "\(name)"])
        return .redirect(to: "/")
    }

    /// Whatever the clerk held goes back to the queue for the others.
    private func logout(_ context: ClerkContext) async throws -> Response {
        let clerk = context.clerk
        let released = try await station.call { store in
            let held = try Station.items(heldBy: clerk, in: store)
            for item in held { _ = try store.release(item.id, try AuditRecord(actor: clerk, event: "released_at_log_out", detail: [:])) }
            return held.count
        }
        context.sessions.clearSession()
        context.logger.info("logged out", metadata: ["clerk": "\(clerk)", "released": "\(released)"])
        return .redirect(to: "/login")
    }
}
