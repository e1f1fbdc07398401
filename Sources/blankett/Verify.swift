// `blankett verify`: the verification station where clerks settle doubtful forms, and its users.
import ArgumentParser
import BlankettSupport
import FieldRules
import FormReader
import FormTemplate
import Foundation
import Logging
import NIOCore
import QueueStores
import VerifyStation
import Watch
import WorkQueue

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The verification station: a browser page where clerks settle the forms in the verification queue.",
        discussion: """
            `serve` runs the station over the same store the reader delivers to. A clerk logs in, takes the next form, keys the doubtful fields from their pictures, and settles it (Enter), skips it (Esc) or returns it to the applicant (F8). A critical field in doubt (personnummer, uttag, namnteckning) is keyed blind: the machine's value is not shown, and the keying settles the field only when it agrees with one of the machine's readings or another clerk's; a second disagreement hands the form to another clerk. Settling puts the form into `applications` with source "verified", exactly once; every decision is kept in the store's audit trail (`blankett queue show ID`). Users are kept with `add-user`, `remove-user` and `list-users` in a file of bcrypt hashes, mode 0600.
            """,
        subcommands: [Serve.self, AddUser.self, RemoveUser.self, ListUsers.self]
    )

    struct Users: ParsableArguments {
        @Option(help: "The users file (name:bcrypt-hash per line, mode 0600).") var users: String
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the station until SIGTERM or SIGINT.",
            discussion: "Binds to loopback unless --listen says otherwise; give --tls-cert and --tls-key to serve a LAN over HTTPS. Sessions are kept in memory and end after --idle-minutes without use; a restart logs everyone out, and the forms they held go back to the queue when their leases end.")

        @Option(help: "The queue: sqlite:PATH or postgres://USER@HOST:PORT/DB (the outbox holds no verification; a PostgreSQL password comes from PGPASSWORD or a password file, never from the URL).") var store = "sqlite:./blankett-queue.sqlite"
        @OptionGroup var users: Users
        @Option(help: "HOST:PORT to listen on; port 0 picks a free one, printed at start.") var listen = "127.0.0.1:8080"
        @Option(help: "PEM certificate chain, for HTTPS.") var tlsCert: String?
        @Option(help: "PEM private key of --tls-cert.") var tlsKey: String?
        @Option(help: "The blank's template (default: Forms/pm7001/template.json).") var template: String?
        @Option(help: ArgumentHelp("The mailing register, for the live check of a keyed personnummer (see `blankett read --help`).", valueName: "file"))
        var register: String?
        @Option(help: ArgumentHelp("The campaign's mailing date, for forms read without one: no date of signing before it.", valueName: "YYYY-MM-DD"))
        var mailingDate: String?
        @Option(parsing: .unconditional, help: "How long a clerk holds a form without the page renewing it, \(Self.leaseRange.lowerBound) to \(Self.leaseRange.upperBound) seconds.")
        var leaseSeconds = 300
        @Option(parsing: .unconditional, help: "A session unused this long ends, \(Self.idleRange.lowerBound) to \(Self.idleRange.upperBound) minutes.")
        var idleMinutes = 30
        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

        static let leaseRange = 30...3600
        static let idleRange = 1...720

        func validate() throws {
            try OptionRange.check(leaseSeconds, Self.leaseRange, "--lease-seconds")
            try OptionRange.check(idleMinutes, Self.idleRange, "--idle-minutes")
            guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
            if let mailingDate, CalendarDate(mailingDate) == nil { throw ValidationError("--mailing-date '\(mailingDate)' is not a date YYYY-MM-DD") }
            guard ServiceProcess.isLogLevel(logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
            _ = try ListenAddress(listen)
        }

        func run() throws {
            let address = try ListenAddress(listen)
            let template = try FormTemplate.load(self.template ?? ProjectPaths.defaultTemplate)
            let clerks = try Clerks.load(users.users)
            guard !clerks.names.isEmpty else {
                throw BlankettError("users_empty", "the users file has no users; add one with blankett verify add-user --users \(users.users) NAME")
            }
            if UsersFileMode.othersMayRead(users.users) {
                printError("warning: the users file \(users.users) can be read by others; chmod 600 it")
            }
            if !address.isLoopback && tlsCert == nil {
                printError("warning: serving \(address) without TLS: passwords and personal data cross the network in clear; give --tls-cert and --tls-key")
            }
            var register: MailingRegister?
            if let path = self.register { register = try MailingRegister.load(path, policy: template.personnummerPolicy).register }
            let url = try StoreURL(store)
            if case .outbox = url {
                throw BlankettError("store_no_verification", "\(url) cannot hold verification (no transactions across files); use a sqlite: or postgres:// store")
            }
            // The queue the readers deliver to, never a new empty one from a mistyped path.
            _ = try url.open(options: QueueOptions(readOnly: true))
            guard let store = try url.open() as? any VerificationStore else {
                throw BlankettError("store_no_verification", "\(url) cannot hold verification; use a sqlite: or postgres:// store")
            }
            var setup = VerifyStation.Setup(store: store, clerks: clerks, template: template, register: register,
                                            mailingDate: mailingDate.flatMap(CalendarDate.init))
            setup.settings.leaseSeconds = leaseSeconds
            setup.settings.idleSeconds = TimeInterval(idleMinutes * 60)
            ServiceProcess.bootstrapLogging(level: logLevel)
            let logger = Logger(label: "blankett.verify")
            let scheme = tlsCert == nil ? "http" : "https"
            let app = try VerifyStation.application(setup, host: address.host, port: address.port,
                                                    tls: tlsCert.map { ($0, tlsKey!) }, logger: logger) { port in
                // One write, unbuffered: a script waiting for the line sees it at once.
                FileHandle.standardOutput.write(Data("verification station on \(scheme)://\(address.host):\(port)/\n".utf8))
            }
            do {
                try ServiceProcess.runUntilStopped([app], logger: logger)
            } catch let error as IOError {
                throw BlankettError(error.errnoCode == EADDRINUSE ? "listen_in_use" : "listen_failed",
                                    "cannot listen on \(address): \(String(cString: strerror(error.errnoCode)))")
            } catch let error as BlankettError {
                throw error
            } catch {
                throw BlankettError("server_failed", "the station on \(address) stopped: \(error)")
            }
        }
    }

    struct AddUser: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a clerk, or set a clerk's password; the password is read from standard input.",
            discussion: "At a terminal the password is asked for without echo; otherwise the first line of standard input is the password. At least 10 characters. The file is created mode 0600.")
        @OptionGroup var users: Users
        @Argument(help: "The clerk's name: 1 to 32 of a-z, 0-9, '.', '-', '_'.") var name: String

        func run() throws {
            try Clerks.checkName(name)
            var clerks = try Clerks.loadOrEmpty(users.users)
            let password: String
            if isatty(0) == 1, let typed = getpass("password for \(name): ") {
                password = String(cString: typed)
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            try clerks.add(name, password: password)
            try clerks.save(users.users)
            print("\(name) can log in")
        }
    }

    struct RemoveUser: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a clerk.")
        @OptionGroup var users: Users
        @Argument(help: "The clerk's name.") var name: String

        func run() throws {
            var clerks = try Clerks.load(users.users)
            try clerks.remove(name)
            try clerks.save(users.users)
            print("\(name) removed")
        }
    }

    struct ListUsers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the clerks, one name per line.")
        @OptionGroup var users: Users

        func run() throws {
            for name in try Clerks.load(users.users).names { print(name) }
        }
    }
}

/// HOST:PORT, the host a name or an IPv4 address ([IPv6] in brackets).
struct ListenAddress: CustomStringConvertible {
    let host: String
    let port: Int

    init(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen is HOST:PORT with a port 0 to 65535, not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen needs a host, e.g. 127.0.0.1:8080") }
        self.host = host
        self.port = port
    }

    var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
    var description: String { "\(host):\(port)" }
}

enum UsersFileMode {
    static func othersMayRead(_ path: String) -> Bool {
        let mode = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? 0
        return mode & 0o077 != 0
    }
}
