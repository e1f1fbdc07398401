// PNG in and out through libpng's simplified API (png_image_*), the only file that sees CPNG.
//
// Why the simplified API: libpng reports errors by longjmp, and a longjmp through Swift frames
// skips their cleanup and is undefined behaviour. The png_image_* entry points catch their own
// longjmps inside libpng (png_safe_execute) and come back with a zero result and a message, so
// no jump ever crosses Swift code. They also convert every input kind (1/2/4/16-bit grey,
// palette, RGB(A), Adam7) to 8-bit grey for us, which is all the page pipeline wants.
//
// Why the limits come first: a scan is untrusted input. The file size is checked before it is
// read, and the pixel count is read from the header (begin_read) before a single pixel buffer
// is allocated, so a 20-byte file claiming 100000 x 100000 costs nothing.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlankettSupport
import CPNG
import SystemPackage

public enum PNGCodec {
    public struct Limits: Sendable {
        public var maxFileBytes: Int
        public var maxPixels: Int

        public init(maxFileBytes: Int = 64 << 20, maxPixels: Int = 50_000_000) {
            self.maxFileBytes = maxFileBytes
            self.maxPixels = maxPixels
        }

        public static let `default` = Limits()
    }

    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws -> GrayImage {
        try bytes.withUnsafeBytes { try decode($0, limits: limits) }
    }

    /// For callers holding the bytes elsewhere (Data, a mapped file): no copy is made.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws -> GrayImage {
        guard bytes.count <= limits.maxFileBytes else {
            throw BlankettError("file_too_large", "PNG data is \(bytes.count) bytes, the limit is \(limits.maxFileBytes)")
        }
        try checkSignature(bytes)
        let png = PNGControl()
        // libpng keeps a pointer to `bytes` between begin_read and finish_read: both happen here.
        try png.check(png_image_begin_read_from_memory(png.image, bytes.baseAddress, bytes.count))
        let width = Int(png.image.pointee.width), height = Int(png.image.pointee.height)
        // libpng has already refused a zero width or height in IHDR (as png_corrupt).
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= limits.maxPixels else {
            throw BlankettError("image_too_large", "PNG is \(width) x \(height) pixels, the limit is \(limits.maxPixels) pixels")
        }
        png.image.pointee.format = UInt32(PNG_FORMAT_GRAY)
        // Scanners store 16-bit grey gamma-encoded like 8-bit; libpng would otherwise assume
        // linear light and brighten every mid-tone on the way down to 8 bits.
        png.image.pointee.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        // Transparency is composited onto white paper; without a background libpng would
        // composite onto whatever the (uninitialised) buffer holds.
        var paper = png_color(red: 255, green: 255, blue: 255)
        let pixels = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try png.check(png_image_finish_read(png.image, &paper, buffer.baseAddress, Int32(width), nil))
            initialized = count
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    public static func decode(path: String, limits: Limits = .default) throws -> GrayImage {
        let bytes = try readFile(FilePath(path), limit: limits.maxFileBytes)
        return try decode(bytes, limits: limits)
    }

    /// `fast`: libpng's PNG_IMAGE_FLAG_FAST, a larger file in a fraction of the time, for pictures
    /// made while a page is processed (the verification crops), where time matters more than bytes.
    public static func encode(_ image: GrayImage, fast: Bool = false) throws -> [UInt8] {
        let png = PNGControl(writing: image)
        if fast { png.image.pointee.flags |= UInt32(PNG_IMAGE_FLAG_FAST) }
        // libpng's own worst case (PNG_IMAGE_PNG_SIZE_MAX, a macro Swift cannot import): stored
        // deflate blocks plus every chunk header, so one pass always fits.
        let raw = (image.width + 1) * image.height
        let deflated = raw + (raw + 7) / 8 + (raw + 63) / 64 + 11
        let capacity = 8 + 25 + 16 + 44 + 12 + 12 + 12 * (deflated / 8192 + 1) + deflated
        return try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var size = capacity
            try image.pixels.withUnsafeBytes { pixels in
                try png.check(png_image_write_to_memory(png.image, buffer.baseAddress, &size, 0,
                                                        pixels.baseAddress, Int32(image.width), nil),
                              writing: true)
            }
            count = size
        }
    }

    public static func write(_ image: GrayImage, to path: String) throws {
        let png = PNGControl(writing: image)
        try image.pixels.withUnsafeBytes { pixels in
            try png.check(png_image_write_to_file(png.image, path, 0, pixels.baseAddress, Int32(image.width), nil),
                          writing: true)
        }
    }

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Told apart here rather than by libpng so that a JPEG, a text file or an empty upload get
    /// `not_png`, and a download cut off inside the signature gets `png_truncated`.
    private static func checkSignature(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { throw BlankettError("not_png", "the data is empty") }
        let head = Array(bytes.prefix(signature.count))
        guard head.elementsEqual(signature.prefix(head.count)) else {
            throw BlankettError("not_png", "the data does not start with the PNG signature")
        }
        guard head.count == signature.count else {
            throw BlankettError("png_truncated", "the data ends inside the PNG signature")
        }
    }

    /// The whole file in one buffer, refused before reading when over `limit` bytes. Shared with
    /// the reader, which hashes the same bytes it decodes. The messages do not quote the path: the
    /// caller names the file, masked.
    ///
    /// Why stat first and open with O_NONBLOCK: open(2) of a FIFO waits for a writer forever and
    /// opening a device can have side effects, so only what stat calls a regular file is opened,
    /// without blocking, and fstat confirms it is still that file.
    public static func readFile(_ path: FilePath, limit: Int) throws -> [UInt8] {
        var info = stat()
        guard path.withPlatformString({ stat($0, &info) }) == 0 else { throw openFailure(errno) }
        try requireRegular(info)
        let fd = path.withPlatformString { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else { throw openFailure(errno) }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else { throw BlankettError("file_unreadable", "cannot stat the file") }
        try requireRegular(opened)
        let size = Int(opened.st_size)
        guard size <= limit else {
            throw BlankettError("file_too_large", "the file is \(size) bytes, the limit is \(limit)")
        }
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = read(fd, buffer.baseAddress! + count, size - count)
                if got == 0 { break }  // shrank under us: decode what is there
                guard got > 0 || errno == EINTR else {
                    throw BlankettError("file_unreadable", "cannot read the file: \(String(cString: strerror(errno)))")
                }
                count += max(got, 0)
            }
        }
    }

    private static func openFailure(_ code: Int32) -> BlankettError {
        let reason = String(cString: strerror(code))
        if code == ENOENT || code == ENOTDIR { return BlankettError("file_not_found", "cannot open the file: \(reason)") }
        return BlankettError("file_unreadable", "cannot open the file: \(reason)")
    }

    private static func requireRegular(_ info: stat) throws {
        if let refusal = notRegular(info.st_mode) { throw refusal }
    }

    /// Why a file of this mode (from stat or lstat) is not read; nil for a regular file.
    public static func notRegular(_ mode: mode_t) -> BlankettError? {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return BlankettError("file_not_found", "a folder, not a file")
        case S_IFLNK: kind = "a symbolic link (not followed)"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR, S_IFBLK: kind = "a device"
        default: kind = "of an unknown kind"
        }
        return BlankettError("not_a_regular_file", "\(kind), not a regular file")
    }
}

/// Owns one png_image. Heap-allocated because libpng keeps pointers into it between
/// begin_read and finish_read, and freed in deinit so that an error thrown anywhere in between
/// still releases libpng's state.
private final class PNGControl {
    let image: UnsafeMutablePointer<png_image>

    init() {
        image = .allocate(capacity: 1)
        image.initialize(to: png_image())
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
    }

    convenience init(writing gray: GrayImage) {
        self.init()
        image.pointee.width = UInt32(gray.width)
        image.pointee.height = UInt32(gray.height)
        image.pointee.format = UInt32(PNG_FORMAT_GRAY)
    }

    deinit {
        png_image_free(image)
        image.deallocate()
    }

    /// The single gate for libpng results: a zero return becomes a BlankettError carrying
    /// libpng's own message, with a code chosen from what that message says.
    func check(_ result: Int32, writing: Bool = false) throws {
        guard result == 0 else { return }
        let message = withUnsafeBytes(of: image.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        throw BlankettError(writing ? "png_write_failed" : Self.readCode(for: message), "libpng: \(message)")
    }

    private static func readCode(for message: String) -> String {
        let m = message.lowercased()
        if m.contains("not a png") { return "not_png" }
        if m.contains("read beyond end") || m.contains("not enough image data") || m.contains("truncated") {
            return "png_truncated"
        }
        return "png_corrupt"
    }
}
