// The station's users: a text file of `name:bcrypt-hash` lines, owner-only (0600), kept by
// `blankett verify add-user | remove-user | list-users` and read by the server at start.
//
// Why bcrypt at cost 12: a stolen file should cost an attacker a quarter of a second per guess
// per user. Why a dummy hash: a log-in for a name that does not exist checks a password all the
// same, so a wrong password and an unknown user take the same time and get the same answer.
import BlankettSupport
import Foundation
import HummingbirdBcrypt

public struct Clerks: Sendable {
    public static let cost: UInt8 = 12
    public private(set) var hashes: [String: String]
    /// Checks a password against a hash; tests count the calls.
    public var check: @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }
    /// Of the cost the file's users have, so that checking it takes as long as checking theirs.
    private let dummyHash: String

    init(hashes: [String: String]) {
        self.hashes = hashes
        let costs = hashes.values.compactMap { UInt8($0.split(separator: "$").dropFirst().first ?? "") }
        dummyHash = Bcrypt.hash(UUID().uuidString, cost: costs.max() ?? Self.cost)
    }

    public static func load(_ path: String) throws -> Clerks {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("users_not_found", "cannot read the users file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw BlankettError("users_invalid", "the users file is not UTF-8") }
        var hashes: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, (try? checkName(parts[0])) != nil, parts[1].hasPrefix("$2") else {
                throw BlankettError("users_invalid", "line \(number + 1) of the users file is not name:bcrypt-hash")
            }
            hashes[parts[0]] = parts[1]
        }
        return Clerks(hashes: hashes)
    }

    /// A missing file is an empty list, for the first `add-user`.
    public static func loadOrEmpty(_ path: String) throws -> Clerks {
        FileManager.default.fileExists(atPath: path) ? try load(path) : Clerks(hashes: [:])
    }

    public static func checkName(_ name: String) throws {
        guard (1...32).contains(name.utf8.count),
              name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 46 || $0 == 45 || $0 == 95 }) else {
            throw BlankettError("user_invalid_name", "a user name is 1 to 32 of a-z, 0-9, '.', '-' and '_'")
        }
    }

    public var names: [String] { hashes.keys.sorted() }

    public mutating func add(_ name: String, password: String, cost: UInt8 = Clerks.cost) throws {
        try Self.checkName(name)
        guard password.count >= 10 else { throw BlankettError("user_weak_password", "a password has at least 10 characters") }
        guard password.utf8.count <= 72 else { throw BlankettError("user_long_password", "bcrypt reads at most 72 bytes of a password") }
        hashes[name] = Bcrypt.hash(password, cost: cost)
    }

    public mutating func remove(_ name: String) throws {
        guard hashes.removeValue(forKey: name) != nil else { throw BlankettError("user_not_found", "no user \(name)") }
    }

    /// Exactly one bcrypt check whether or not the user exists.
    public func verify(_ name: String, password: String) -> Bool {
        let matches = check(password, hashes[name] ?? dummyHash)
        return matches && hashes[name] != nil
    }

    /// Written whole under a temporary name, owner-only from the start, then renamed into place.
    public func save(_ path: String) throws {
        let text = "# Blankett verification station users: name:bcrypt-hash\n" + names.map { "\($0):\(hashes[$0]!)\n" }.joined()
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw BlankettError("users_write_failed", "cannot write the users file next to \(path)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BlankettError("users_write_failed", "cannot replace the users file \(path)")
        }
    }
}
