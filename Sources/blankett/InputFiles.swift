// The files `read` is given, as the bytes the kernel knows them by. A Latin-1 name written by a
// scanner on an SMB share is not UTF-8, and Swift turns such an argument or directory entry into
// a String with U+FFFD in it, which names no file; so arguments are taken from argv and folders
// listed with readdir(3), both as bytes.
import FieldRules
import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum InputFiles {
    /// Files named on the command line; a folder stands for the entries in it whose name ends in
    /// .png (any case), in byte order, whatever they are: the reader refuses FIFOs, devices and
    /// folders without opening them, so every one gets its line. Symbolic links are followed.
    static func expand(_ arguments: [String]) throws -> [FilePath] {
        var out: [FilePath] = []
        for path in rawArguments(arguments) {
            var info = stat()
            guard path.withPlatformString({ stat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                out.append(path)
                continue
            }
            out += try path.entries().filter { $0.lowercased().hasSuffix(Array(".png".utf8)) }
                .sorted { $0.lexicographicallyPrecedes($1) }
                .map { path.appending(FilePath(bytes: $0).components) }
        }
        return out
    }

    /// Each argument's bytes in argv: ArgumentParser sees argv decoded, with any byte that is not
    /// UTF-8 replaced, so an argument is matched to the first unused argv entry that decodes to it.
    static func rawArguments(_ arguments: [String]) -> [FilePath] {
        var raw = (1..<Int(CommandLine.argc)).compactMap { i in
            CommandLine.unsafeArgv[i].map { Array(UnsafeBufferPointer(start: $0, count: strlen($0))).map(UInt8.init(bitPattern:)) }
        }
        return arguments.map { argument in
            guard let index = raw.firstIndex(where: { String(decoding: $0, as: UTF8.self) == argument }) else {
                return FilePath(argument)
            }
            return FilePath(bytes: raw.remove(at: index))
        }
    }
}

private extension Array where Element == UInt8 {
    func lowercased() -> [UInt8] { map { (65...90).contains($0) ? $0 + 32 : $0 } }
    func hasSuffix(_ suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
