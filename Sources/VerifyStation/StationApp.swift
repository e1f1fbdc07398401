// The verification station as a Hummingbird application: routes grouped by controller, the
// session and CSRF as middleware, served over HTTP on loopback or over TLS on a LAN. The
// application is a Service, so `runService()` stops it gracefully on SIGTERM or SIGINT.
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import Verification
import WorkQueue

public enum VerifyStation {
    public struct Setup: Sendable {
        public var store: any VerificationStore
        public var clerks: Clerks
        public var template: FormTemplate
        public var register: MailingRegister?
        public var mailingDate: CalendarDate?
        public var settings = StationSettings()

        public init(store: any VerificationStore, clerks: Clerks, template: FormTemplate, register: MailingRegister?,
                    mailingDate: CalendarDate?) {
            self.store = store
            self.clerks = clerks
            self.template = template
            self.register = register
            self.mailingDate = mailingDate
        }
    }

    public static func router(_ setup: Setup) -> Router<StationContext> {
        let station = Station(store: setup.store, template: setup.template,
                              check: FieldCheck(template: setup.template, register: setup.register, mailingDate: setup.mailingDate),
                              settings: setup.settings)
        let router = Router(context: StationContext.self)
        router.add(middleware: SecurityHeadersMiddleware(tls: setup.settings.tls))
        // Sessions live in memory: a restart logs everyone out, and their leases run out as usual.
        router.add(middleware: SessionMiddleware(storage: MemoryPersistDriver(), configuration: .init(
            sessionCookieParameters: .init(name: "blankett_session", secure: setup.settings.tls, sameSite: .strict),
            defaultSessionExpiration: .seconds(12 * 3600))))
        StaticFiles.addRoutes(to: router)
        let auth = AuthController(station: station, clerks: setup.clerks, throttle: LoginThrottle(clock: setup.settings.clock))
        auth.addRoutes(to: router)
        let clerkRoutes = router.group()
            .add(middleware: ClerkMiddleware(idleSeconds: setup.settings.idleSeconds, clock: setup.settings.clock))
            .group(context: ClerkContext.self)
            .add(middleware: CSRFMiddleware())
        auth.addLogout(to: clerkRoutes)
        QueueController(station: station).addRoutes(to: clerkRoutes)
        ItemController(station: station).addRoutes(to: clerkRoutes.group("items"))
        return router
    }

    /// `tls`: PEM files of the certificate chain and the private key.
    public static func application(_ setup: Setup, host: String, port: Int, tls: (certificate: String, key: String)?,
                                   logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        var setup = setup
        setup.settings.tls = tls != nil
        let server: HTTPServerBuilder
        if let tls {
            let configuration: TLSConfiguration
            do {
                configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
            } catch {
                throw BlankettError("tls_invalid", "cannot use the TLS certificate or key: \(error)")
            }
            server = try .tls(.http1(), tlsConfiguration: configuration)
        } else {
            server = .http1()
        }
        return Application(router: router(setup), server: server,
                           configuration: .init(address: .hostname(host, port: port), serverName: "Blankett"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }
}
