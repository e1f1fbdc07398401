// File-system steps the queue relies on for durability and privacy, which the watch daemon's
// quarantine records share. Queue files hold personnummer, so everything is created owner-only
// (files 0600, folders 0700) by the open/mkdir mode itself, never by changing the process-wide
// umask. A file becomes visible only complete: written under a hidden temporary name, fsynced,
// renamed, and its folder fsynced so the rename survives a power cut too.
import BlankettSupport
import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum DurableFile {
    static func failure(_ what: String, _ path: String, code: Int32 = errno) -> BlankettError {
        BlankettError("store_unavailable", "cannot \(what) \(path): \(String(cString: strerror(code)))")
    }

    /// Creates `path` empty with mode 0600 unless it exists; an existing file keeps its mode.
    static func createPrivate(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            guard errno == EEXIST else { throw failure("create", path) }
            return
        }
        defer { close(fd) }
        // The umask may have taken bits away but can never have added any; make it exactly 0600.
        guard fchmod(fd, 0o600) == 0 else { throw failure("create", path) }
    }

    /// A queue file must be a regular file: SQLite's open(2) of a FIFO would wait for a writer forever.
    static func requireRegularFile(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw failure("open", path) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw BlankettError("store_unavailable", "\(path) is not a regular file") }
    }

    /// mkdir -p with 0700 for the folders it creates. Iterative over the path's prefixes, so a
    /// relative path ("nx") ends at the working directory instead of asking for the parent of "".
    static func makeDirectory(_ path: String) throws {
        var prefix = FilePath(path).root.map { FilePath(root: $0) } ?? FilePath()
        for component in FilePath(path).components {
            prefix.append(component)
            let text = prefix.string
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw failure("use as a folder", text, code: ENOTDIR) }
                continue
            }
            guard mkdir(text, 0o700) == 0 || errno == EEXIST else { throw failure("create folder", text) }
        }
    }

    /// Replaces or creates `path` with `bytes` so that a reader sees the old file or the whole new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: FilePath) throws {
        let directory = path.removingLastComponent()
        let temporary = directory.appending(".\(path.lastComponent?.string ?? "").tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        let fd = temporary.withPlatformString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw failure("create", temporary.string) }
        var written = 0
        var code: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                written += n
            }
        }
        if code == 0, fsync(fd) != 0 { code = errno }
        close(fd)
        if code == 0, temporary.withPlatformString({ from in path.withPlatformString { rename(from, $0) } }) != 0 { code = errno }
        guard code == 0 else {
            _ = temporary.withPlatformString { unlink($0) }
            throw failure("write", path.string, code: code)
        }
        try syncDirectory(directory)
    }

    /// A live writer renames its temporary within moments; one untouched this long (seconds) was
    /// left by a process that died between creating and renaming it.
    public static let staleAfter: TimeInterval = 60

    /// The temporaries of `writeAtomically` (`.<target>.tmp-<pid>-<random>`) in `directory` untouched
    /// for `staleAfter`, each with the file it was to become.
    public static func staleTemporaries(in directory: String) -> [(temporary: String, target: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix("."), let mark = name.range(of: ".tmp-", options: .backwards),
                  mark.lowerBound > name.startIndex else { return nil }
            let target = name[name.index(after: name.startIndex)..<mark.lowerBound]
            let tag = name[mark.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            let path = "\(directory)/\(name)"
            guard !target.isEmpty, tag.count == 2, tag.allSatisfy({ UInt64($0) != nil }),
                  let modified = modificationTime(path), Date().timeIntervalSince(modified) >= staleAfter else { return nil }
            return (path, "\(directory)/\(target)")
        }
    }

    static func modificationTime(_ path: String) -> Date? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// Atomic move; false when `source` is gone (someone else moved it first).
    static func move(_ source: String, to target: String) throws -> Bool {
        guard rename(source, target) == 0 else {
            if errno == ENOENT, !FileManager.default.fileExists(atPath: source) { return false }
            throw failure("move", source)
        }
        try syncDirectory(FilePath(target).removingLastComponent())
        try syncDirectory(FilePath(source).removingLastComponent())
        return true
    }

    public static func syncDirectory(_ path: FilePath) throws {
        let fd = (path.isEmpty ? FilePath(".") : path).withPlatformString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw failure("open folder", path.string) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("sync folder", path.string) }
    }

    /// Runs `body` holding an exclusive flock on `path`. flock belongs to the open file, so it
    /// excludes other threads of this process (each call opens its own) as well as other processes.
    /// `shared`: a reader's lock, which neither creates nor needs write access to the lock file; a
    /// folder no Blankett has written to yet has none, and then there is no writer to wait for.
    static func withLock<T>(_ path: String, shared: Bool = false, _ body: () throws -> T) throws -> T {
        let fd = shared ? open(path, O_RDONLY | O_CLOEXEC) : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0, shared, errno == ENOENT { return try body() }
        guard fd >= 0 else { throw failure("open lock file", path) }
        defer { close(fd) }
        while flock(fd, shared ? LOCK_SH : LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("lock", path) }
        }
        return try body()
    }

    /// Visible names in `directory` ending in `suffix` (temporary files start with a dot); none if it is missing.
    static func names(in directory: String, suffix: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { !$0.hasPrefix(".") && $0.hasSuffix(suffix) }.sorted()
        } catch {
            throw failure("list", directory, code: EIO)
        }
    }

    static func read(_ path: String) throws -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if !FileManager.default.fileExists(atPath: path) { return nil }
            throw failure("read", path, code: EIO)
        }
        return [UInt8](data)
    }
}
