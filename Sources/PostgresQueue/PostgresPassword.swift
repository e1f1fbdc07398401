// Where a PostgreSQL store's password comes from, the way libpq (psql, pg_dump) finds it, so an
// operator sets it up once for both: PGPASSWORD, else the password file PGPASSFILE or ~/.pgpass
// (lines host:port:database:user:password, `*` matching anything, `\:` and `\\` escaped). Never
// from the URL (StoreURL refuses one that holds it), never into a message or a log.
// A password file that others may read is refused, where libpq only warns and skips it: a
// daemon that silently loses its password fails later with a less helpful error.
import BlankettSupport
import Foundation
import WorkQueue

public enum PostgresPassword {
    /// nil when neither gives one: the server may not ask (trust or peer authentication).
    public static func find(for address: PostgresAddress, environment: [String: String]) throws -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let explicit = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = explicit ?? environment["HOME"].map({ $0 + "/.pgpass" }) else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else {
            if explicit != nil { throw BlankettError("store_password_file_missing", "PGPASSFILE names no readable file") }
            return nil
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw BlankettError("store_password_file_invalid", "the password file is not a regular file")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw BlankettError("store_password_file_insecure",
                                "the password file may be read by others; make it private (chmod 600)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BlankettError("store_password_file_invalid", "the password file cannot be read as UTF-8 text")
        }
        return password(in: text, for: address)
    }

    /// The first line whose four fields match, as libpq takes it; comment lines start with `#`.
    static func password(in file: String, for address: PostgresAddress) -> String? {
        let wanted = [address.host, String(address.port), address.database, address.user]
        for line in file.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func split(_ line: Substring) -> [String] {
        var fields = [""], escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":", fields.count < 5 {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}
