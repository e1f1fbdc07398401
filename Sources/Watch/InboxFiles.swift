// File-system steps of the watch folder: the inbox layout, the completeness test of a dropped file,
// the atomic claim by rename, and the final moves to archive/ or quarantine/. Names in the inbox
// are bytes (FilePath): a Latin-1 name from an SMB share is claimed like any other. Every name the
// daemon creates is made of hex, the scan's SHA-256 or a random token, and in processing/ the
// original name as shown (masked, escaped), never anything else read from the file.
import BlankettSupport
import FieldRules
import Foundation
import PageImage
import SystemPackage
import WorkQueue
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders under the inbox.
public struct InboxLayout: Sendable {
    public let inbox: FilePath
    public var processing: FilePath { inbox.appending("processing") }
    public var archive: FilePath { inbox.appending("archive") }
    public var quarantine: FilePath { inbox.appending("quarantine") }

    /// The daemon's own folders, which the inbox listing passes over.
    static let ownFolders: Set<[UInt8]> = [Array("processing".utf8), Array("archive".utf8), Array("quarantine".utf8)]

    public init(inbox: FilePath) { self.inbox = inbox }

    public func create() throws {
        for dir in [inbox, processing, archive, quarantine] { try FileSteps.makeDirectories(dir) }
    }

    /// Claimed files are `processing/<16 hex>--<name as shown>`: the token keeps two files of the
    /// same name apart (rename would silently replace) and names the input's quarantine record,
    /// the suffix keeps the name for the record. The shown name is masked, escaped and cut to
    /// `maxShownNameBytes`, so the claim name always fits in NAME_MAX (255 bytes) and processing/
    /// holds no personnummer.
    static let tokenLength = 16
    static let maxShownNameBytes = 200

    func claim(_ name: [UInt8]) -> Job {
        var token = ""
        for _ in 0..<(Self.tokenLength / 2) { token += String(format: "%02x", UInt8.random(in: 0...255)) }
        let shown = Self.fitted(Personnummer.redacted(bytes: name))
        return Job(path: processing.appending(token + "--" + shown), token: token, originalName: shown)
    }

    /// The job for an entry found in processing/ at start. A name not of the claim form (put
    /// there by hand, or by an older Blankett with the whole name) is shown through the redaction.
    func resumed(_ claimedName: [UInt8]) -> Job {
        let path = processing.appending(FilePath(bytes: claimedName).components)
        // The token is split off before the name is shown: its hex may hold ten digits in a row.
        let token = claimedName.prefix(Self.tokenLength)
        guard claimedName.count > Self.tokenLength + 2, claimedName.dropFirst(Self.tokenLength).starts(with: Array("--".utf8)),
              token.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return Job(path: path, token: nil, originalName: Self.fitted(Personnummer.redacted(bytes: claimedName)))
        }
        return Job(path: path, token: String(decoding: token, as: UTF8.self),
                   originalName: Self.fitted(Personnummer.redacted(bytes: claimedName.dropFirst(Self.tokenLength + 2))))
    }

    /// Cut on a character boundary, with an ellipsis, to at most `maxShownNameBytes`.
    static func fitted(_ shown: String) -> String {
        guard shown.utf8.count > maxShownNameBytes else { return shown }
        var out = ""
        for c in shown {
            guard out.utf8.count + c.utf8.count + "…".utf8.count <= maxShownNameBytes else { break }
            out.append(c)
        }
        return out + "…"
    }
}

/// What `lstat` says about an inbox entry, enough to see whether it is still changing.
struct FileSignature: Equatable {
    let size: Int64, mtimeNs: Int64, inode: UInt64
    let mode: mode_t

    var isRegular: Bool { mode & S_IFMT == S_IFREG }

    /// nil for an entry that is gone. Links are not followed: a link is an entry of its own.
    static func of(_ path: FilePath) -> FileSignature? {
        var st = stat()
        guard path.withPlatformString({ lstat($0, &st) }) == 0 else { return nil }
        return FileSignature(size: Int64(st.st_size),
                             mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                             inode: UInt64(st.st_ino), mode: st.st_mode)
    }
}

enum FileSteps {
    private static let F_SETLEASE: Int32 = 1024
    private static let leaseRead: Int32 = 0   // F_RDLCK
    private static let leaseNone: Int32 = 2   // F_UNLCK

    /// True when some process still has the file open for writing. A read lease can only be taken
    /// on a file nobody has open for writing (EAGAIN otherwise); where leases are not allowed
    /// (another owner without CAP_LEASE, a file system without them) the settle time alone decides.
    static func isOpenForWriting(_ path: FilePath) -> Bool {
        let fd = path.withPlatformString { open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if fcntl(fd, F_SETLEASE, leaseRead) == 0 {
            _ = fcntl(fd, F_SETLEASE, leaseNone)
            return false
        }
        return errno == EAGAIN || errno == EBUSY
    }

    /// Why the daemon will not read this entry of processing/ (a FIFO, a link, a folder …); nil
    /// for a regular file. A link is not followed: it could point anywhere, and what is archived
    /// must be the scan itself.
    static func refusal(_ path: FilePath) -> BlankettError? {
        guard let signature = FileSignature.of(path) else { return BlankettError("file_not_found", "the file is gone") }
        return PNGCodec.notRegular(signature.mode).map {
            $0.code == "file_not_found" ? BlankettError("not_a_regular_file", $0.message) : $0
        }
    }

    enum ClaimResult { case claimed, gone, failed(Int32) }

    /// rename(2) is atomic: of two daemons renaming the same file, one gets ENOENT.
    static func claim(_ from: FilePath, _ to: FilePath) -> ClaimResult {
        if renamePath(from, to) == 0 { return .claimed }
        return errno == ENOENT ? .gone : .failed(errno)
    }

    /// The folder is synced so that the move survives a power cut, not only a killed process.
    static func move(_ from: FilePath, to: FilePath) throws {
        guard renamePath(from, to) == 0 else {
            throw BlankettError("watch_move_failed", "cannot move \(from.shown) to \(to.shown): \(String(cString: strerror(errno)))")
        }
        try DurableFile.syncDirectory(to.removingLastComponent())
    }

    private static func renamePath(_ from: FilePath, _ to: FilePath) -> Int32 {
        from.withPlatformString { source in to.withPlatformString { rename(source, $0) } }
    }

    /// mkdir -p; an existing folder (or a link to one) is fine.
    static func makeDirectories(_ path: FilePath) throws {
        var prefix = path.root.map { FilePath(root: $0) } ?? FilePath()
        for component in path.components {
            prefix.append(component)
            guard prefix.withPlatformString({ mkdir($0, 0o755) }) == 0 || errno == EEXIST else {
                throw BlankettError("inbox_unavailable", "cannot create \(prefix.shown): \(String(cString: strerror(errno)))")
            }
        }
        var st = stat()
        guard path.withPlatformString({ stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw BlankettError("inbox_unavailable", "\(path.shown) is not a folder")
        }
    }

    /// For a file the reader refused before hashing it (too large, unreadable): read in 1 MiB
    /// chunks, so a huge file is hashed without being held in memory. nil for anything but a
    /// regular file, which is never opened.
    static func sha256(ofFile path: FilePath) -> String? {
        guard FileSignature.of(path)?.isRegular == true else { return nil }
        let fd = path.withPlatformString { open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
        }
        return hasher.finalize().hexString
    }
}
