// File-system steps of the watch folder: the inbox layout, the completeness test of a dropped file,
// the atomic claim by rename, and the final moves to archive/ or quarantine/. Every file the daemon
// creates is named after the scan's SHA-256 or a random token, never after anything read from it.
import BlankettSupport
import Foundation
import WorkQueue
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders under the inbox.
public struct InboxLayout: Sendable {
    public let inbox: String
    public var processing: String { inbox + "/processing" }
    public var archive: String { inbox + "/archive" }
    public var quarantine: String { inbox + "/quarantine" }

    public init(inbox: String) {
        var path = inbox
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.inbox = path
    }

    public func create() throws {
        for dir in [inbox, processing, archive, quarantine] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }

    /// Claimed files are `processing/<16 hex>--<original name>`: the token keeps two files of the
    /// same name apart (rename would silently replace), the suffix keeps the name for the record.
    static let tokenLength = 16

    func claimedPath(for name: String) -> String {
        var token = ""
        for _ in 0..<(Self.tokenLength / 2) { token += String(format: "%02x", UInt8.random(in: 0...255)) }
        return processing + "/" + token + "--" + name
    }

    static func originalName(ofClaimed name: String) -> String {
        let parts = name.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == tokenLength, parts[1].isEmpty,
              parts[0].allSatisfy({ $0.isHexDigit }) else { return name }
        return String(parts[2])
    }
}

/// What `lstat` says about a file, enough to see whether it is still changing.
struct FileSignature: Equatable {
    let size: Int64, mtimeNs: Int64, inode: UInt64

    /// nil for anything but a regular file (folders, links, devices) or a file that is gone.
    static func of(_ path: String) -> FileSignature? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileSignature(size: Int64(st.st_size),
                             mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                             inode: UInt64(st.st_ino))
    }
}

enum FileSteps {
    private static let F_SETLEASE: Int32 = 1024
    private static let leaseRead: Int32 = 0   // F_RDLCK
    private static let leaseNone: Int32 = 2   // F_UNLCK

    /// True when some process still has the file open for writing. A read lease can only be taken
    /// on a file nobody has open for writing (EAGAIN otherwise); where leases are not allowed
    /// (another owner without CAP_LEASE, a file system without them) the settle time alone decides.
    static func isOpenForWriting(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if fcntl(fd, F_SETLEASE, leaseRead) == 0 {
            _ = fcntl(fd, F_SETLEASE, leaseNone)
            return false
        }
        return errno == EAGAIN || errno == EBUSY
    }

    enum ClaimResult { case claimed, gone, failed(Int32) }

    /// rename(2) is atomic: of two daemons renaming the same file, one gets ENOENT.
    static func claim(_ from: String, _ to: String) -> ClaimResult {
        if rename(from, to) == 0 { return .claimed }
        return errno == ENOENT ? .gone : .failed(errno)
    }

    /// The folder is synced so that the move survives a power cut, not only a killed process.
    static func move(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else {
            throw BlankettError("watch_move_failed", "cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
        }
        try DurableFile.syncDirectory((to as NSString).deletingLastPathComponent)
    }

    /// For a file the reader refused before hashing it (too large, unreadable): read in 1 MiB
    /// chunks, so a huge file is hashed without being held in memory.
    static func sha256(ofFile path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        } catch {
            return nil
        }
        return hasher.finalize().hexString
    }
}
