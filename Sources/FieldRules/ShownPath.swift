// Paths are bytes: a scanner on an SMB share writes Latin-1 names, which a Swift String cannot
// hold. So file names travel as FilePath from readdir(3) to open(2) and rename(2), and become
// text only when they leave the process (a log line, an error, a record), through the redaction.
import BlankettSupport
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FilePath {
    /// The path as the kernel sees it, without the terminating NUL.
    public var bytes: [UInt8] {
        withPlatformString { pointer in
            var out: [UInt8] = []
            var p = pointer
            while p.pointee != 0 { out.append(UInt8(bitPattern: p.pointee)); p += 1 }
            return out
        }
    }

    public init(bytes: some Collection<UInt8>) {
        let terminated = bytes.map { CInterop.PlatformChar(bitPattern: $0) } + [0]
        self = terminated.withUnsafeBufferPointer { FilePath(platformString: $0.baseAddress!) }
    }

    /// The path for people and logs: personnummer masked, control characters and bytes that are
    /// not UTF-8 escaped.
    public var shown: String { Personnummer.redacted(bytes: bytes) }

    /// The last component, shown the same way.
    public var shownName: String { lastComponent.map { FilePath(root: nil, [$0]).shown } ?? shown }

    /// The names in this folder, as bytes, without . and ..
    public func entries() throws -> [[UInt8]] {
        guard let dir = withPlatformString({ opendir($0) }) else {
            throw BlankettError("folder_unreadable", "cannot list \(shown): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [46] && name != [46, 46] { names.append(name) }
        }
        return names
    }
}
