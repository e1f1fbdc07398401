// The tests' own PostgreSQL server: initdb in a temporary folder, a free loopback port, password
// authentication as a real server has it, stopped when the test bundle finishes. One server per
// test process, started on first use; each test gets a database of its own (`freshDatabase`).
// initdb refuses to run as root, and CI runs as root, so the server then runs as the `postgres`
// system user that Debian's package creates. A missing server binary is an error, not a skip:
// the README's test command installs it (scripts/setup.sh).
import Foundation
import WorkQueue
import XCTest
#if canImport(Glibc)
import Glibc
#endif

public final class PostgresTestServer: @unchecked Sendable {
    // @unchecked: set up once under `startLock`; afterwards only read, but for `stopped`, under `lock`.
    public let port: Int
    public let user = "blankett"
    public let password: String
    let folder: String
    private let binaries: String
    private let runAs: String?
    private let lock = NSLock()
    private var stopped = false

    private static let startLock = NSLock()
    nonisolated(unsafe) private static var shared: Result<PostgresTestServer, any Error>?

    /// The server of this test process; also puts its password in PGPASSWORD, for this process and
    /// the daemons and robots it starts.
    public static func running() throws -> PostgresTestServer {
        startLock.lock()
        defer { startLock.unlock() }
        if shared == nil {
            shared = Result { try PostgresTestServer() }
            if case .success(let server) = shared {
                setenv("PGPASSWORD", server.password, 1)
                XCTestObservationCenter.shared.addTestObserver(StopAtEnd(server: server))
                atexit { PostgresTestServer.stopShared() }
            }
        }
        return try shared!.get()
    }

    private static func stopShared() {
        if case .success(let server) = shared { server.stop() }
    }

    private init() throws {
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        guard let binaries = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            throw Failure("no PostgreSQL server under /usr/lib/postgresql: run `bash scripts/setup.sh` (it installs postgresql)")
        }
        self.binaries = binaries
        runAs = getuid() == 0 ? "postgres" : nil
        password = UUID().uuidString
        var template = Array((NSTemporaryDirectory() + "/blankett-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("cannot make a temporary folder") }
        folder = String(cString: made)
        port = try Self.freePort()
        chmod(folder, 0o755)
        try password.write(toFile: folder + "/pwfile", atomically: true, encoding: .utf8)
        if let runAs {
            guard let account = getpwnam(runAs) else { throw Failure("no system user \(runAs) (Debian's postgresql package makes it)") }
            chown(folder, account.pointee.pw_uid, account.pointee.pw_gid)
            chown(folder + "/pwfile", account.pointee.pw_uid, account.pointee.pw_gid)
        }
        try run("initdb", ["-D", folder + "/data", "-U", "postgres", "--pwfile", folder + "/pwfile", "--auth-local=trust",
                           "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"])
        try start()
        try psql("CREATE ROLE \(user) LOGIN PASSWORD '\(password)'")
    }

    /// An empty database owned by `user`, as a store URL names it.
    public func freshDatabase() throws -> PostgresAddress {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql("CREATE DATABASE \(name) OWNER \(user)")
        return PostgresAddress(user: user, host: "127.0.0.1", port: port, database: name)
    }

    /// A fast shutdown (clients are disconnected, nothing committed is lost), `whileDown`, a start.
    public func restart(whileDown: () -> Void = {}) throws {
        try run("pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
        whileDown()
        try start()
    }

    /// Throwaway data: no fsync. Connections on loopback only; the socket in our own folder.
    private func start() throws {
        try run("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "-o",
                           "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
                           "start"])
    }

    /// For good, at the end of the test process.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? run("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// As the superuser, over the socket in our folder (trust).
    public func psql(_ sql: String, database: String = "postgres") throws {
        try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", folder, "-p", "\(port)", "-U", "postgres", "-d", database, "-c", sql])
    }

    /// posix_spawn, not Foundation's Process: `pg_ctl start` leaves the server running, and the
    /// server would inherit the descriptor by which Process learns that its child ended, so the
    /// wait would last as long as the server. Here the child gets no descriptor but its output file.
    private func run(_ tool: String, _ arguments: [String]) throws {
        let path = FileManager.default.isExecutableFile(atPath: "\(binaries)/\(tool)") ? "\(binaries)/\(tool)" : "/usr/bin/\(tool)"
        let argv = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", path] + arguments } ?? [path] + arguments
        let output = folder + "/\(tool).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        try Self.closeFrom(&actions, 3)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Failure("cannot start \(tool): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
            throw Failure("\(tool) failed (wait status \(status)): \(text.suffix(2_000))\nserver log: \(log.suffix(2_000))")
        }
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which its Swift module
    /// does not declare.
    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ fd: Int32) throws {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            throw Failure("this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later)")
        }
        guard unsafeBitCast(symbol, to: CloseFrom.self)(&actions, fd) == 0 else { throw Failure("addclosefrom failed") }
    }

    /// A port the kernel just handed out on loopback, closed again: nothing listens there.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw Failure("cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private final class StopAtEnd: NSObject, XCTestObservation {
        let server: PostgresTestServer
        init(server: PostgresTestServer) { self.server = server }
        func testBundleDidFinish(_ testBundle: Bundle) { server.stop() }
    }
}
