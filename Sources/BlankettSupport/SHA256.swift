// SHA-256 through OpenSSL's libcrypto. Every scan is hashed for its queue reference before it is
// decoded, so the hash sits on the hot path: libcrypto uses the CPU's SHA extensions (about
// 2 GB/s here), where a portable implementation managed 345 MB/s, 5–7 ms of a 50 ms page.
// The digest context is a C handle owned by this class and freed in deinit; `check` is the
// one place C results are turned into errors, and these calls fail only when memory does.
import CCrypto

public final class SHA256 {
    private let context: OpaquePointer

    public init() {
        context = Self.check(EVP_MD_CTX_new())
        Self.check(EVP_DigestInit_ex(context, EVP_sha256(), nil))
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    public func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        Self.check(EVP_DigestUpdate(context, base, buffer.count))
    }

    /// The digest of everything passed to `update`; the hasher is spent afterwards.
    public func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        Self.check(EVP_DigestFinal_ex(context, &digest, &size))
        return Array(digest.prefix(Int(size)))
    }

    public static func digest<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        let hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 { digest(bytes).hexString }

    private static func check(_ result: Int32) {
        precondition(result == 1, "libcrypto SHA-256 failed (out of memory)")
    }

    private static func check(_ pointer: OpaquePointer?) -> OpaquePointer {
        guard let pointer else { preconditionFailure("libcrypto: cannot allocate a digest context (out of memory)") }
        return pointer
    }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
