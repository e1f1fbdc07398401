// The only file that touches SQLite's C API. A connection and a prepared statement each own
// their C handle and free it in deinit; every C call that can fail goes through `check`, which
// turns the result code into a BlankettError carrying SQLite's own message. SQL values are always
// bound, never spliced into the text, so SQLite's messages (which quote SQL, not bound values)
// cannot echo a personnummer.
import BlankettSupport
import CSQLite
import Foundation

enum SQLValue {
    case int(Int64)
    case text(String)
    case blob([UInt8])
    case null

    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}

/// Not thread-safe by itself: its owner serialises use, and a transaction must not interleave
/// with another thread's statements on the same connection anyway.
final class SQLiteConnection {
    private let handle: OpaquePointer

    init(path: String, busyTimeoutMilliseconds: Int, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw BlankettError("store_unavailable", "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        try check(sqlite3_busy_timeout(db, Int32(clamping: busyTimeoutMilliseconds)), "set the busy timeout")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one statement to the end; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        _ = try query(sql, arguments) { _ in () }
        return Int(sqlite3_changes(handle))
    }

    /// Runs a fixed script of several statements without arguments (the schema).
    func executeScript(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), "run the schema script")
    }

    func query<T>(_ sql: String, _ arguments: [SQLValue] = [], _ decode: (SQLiteRow) throws -> T) throws -> [T] {
        let statement = try SQLiteStatement(self, sql)
        for (index, value) in arguments.enumerated() {
            try check(statement.bind(value, at: Int32(index + 1)), "bind a value")
        }
        var rows: [T] = []
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { try check(rc, "run a statement"); return rows }
            rows.append(try decode(SQLiteRow(statement: statement.handle)))
        }
    }

    /// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so the
    /// reads inside the transaction see exactly what its writes will change: no other connection,
    /// in this process or another, can write in between.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    func check(_ rc: Int32, _ what: String) throws {
        guard rc != SQLITE_OK, rc != SQLITE_ROW, rc != SQLITE_DONE else { return }
        let code: String
        switch rc & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: code = "store_busy"
        case SQLITE_CORRUPT, SQLITE_NOTADB: code = "store_corrupt"
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH: code = "store_unavailable"
        default: code = "store_failed"
        }
        throw BlankettError(code, "cannot \(what): \(String(cString: sqlite3_errmsg(handle)))")
    }

    fileprivate func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil), "prepare a statement")
        guard let statement else { throw BlankettError("store_failed", "cannot prepare an empty statement") }
        return statement
    }
}

private final class SQLiteStatement {
    let handle: OpaquePointer

    init(_ connection: SQLiteConnection, _ sql: String) throws {
        handle = try connection.prepare(sql)
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ value: SQLValue, at index: Int32) -> Int32 {
        // SQLITE_TRANSIENT: SQLite copies the bytes, so Swift's buffers need not outlive the call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        switch value {
        case .int(let v): return sqlite3_bind_int64(handle, index, v)
        case .text(let v): return sqlite3_bind_text(handle, index, v, -1, transient)
        case .null: return sqlite3_bind_null(handle, index)
        case .blob(let v):
            // An empty buffer may have no base address, which SQLite would store as NULL.
            if v.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
            return v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }
}

/// One result row, valid only inside the `query` closure it is passed to.
struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: bytes)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
