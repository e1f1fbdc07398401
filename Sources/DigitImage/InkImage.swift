// InkImage: a greyscale raster in ink units, 0 = paper and 1 = full ink, row-major.
//
// Why ink and not brightness: MNIST stores white ink on black, scans store dark ink on white.
// Converting both to "amount of ink" once, at the door, lets every later step (thresholds,
// morphology, centre of mass, resampling) treat empty paper as zero, so sums and averages
// mean "how much ink" without sign flips or an offset of 255 scattered through the code.
public struct InkImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var ink: [Float]

    public init(width: Int, height: Int, ink: [Float]) {
        precondition(width > 0 && height > 0 && ink.count == width * height,
                     "InkImage: \(ink.count) values do not fill \(width)x\(height)")
        self.width = width
        self.height = height
        self.ink = ink
    }

    public static func zeros(width: Int, height: Int) -> InkImage {
        InkImage(width: width, height: height, ink: [Float](repeating: 0, count: width * height))
    }

    /// An MNIST digit as stored in the IDX file: one byte per pixel, 0 = background, 255 = ink.
    public init(mnist bytes: some Collection<UInt8>, side: Int = 28) {
        self.init(width: side, height: side, ink: bytes.map { Float($0) / 255 })
    }

    /// An 8-bit scan, paper white: 255 = paper, 0 = black ink.
    public init(grey: some Collection<UInt8>, width: Int, height: Int) {
        self.init(width: width, height: height, ink: grey.map { Float(255 - $0) / 255 })
    }

    public subscript(x: Int, y: Int) -> Float {
        get { ink[y * width + x] }
        set { ink[y * width + x] = newValue }
    }
}

/// A half-open pixel rectangle: the part of a canvas an operation needs to touch. The augmenter
/// keeps one around the rendered digit so that per-pixel effects skip the empty paper.
struct PixelRect: Equatable {
    var x0: Int, y0: Int, x1: Int, y1: Int

    static let empty = PixelRect(x0: 0, y0: 0, x1: 0, y1: 0)

    var isEmpty: Bool { x0 >= x1 || y0 >= y1 }

    func grown(by r: Int, within width: Int, _ height: Int) -> PixelRect {
        isEmpty ? self : PixelRect(x0: max(0, x0 - r), y0: max(0, y0 - r),
                                   x1: min(width, x1 + r), y1: min(height, y1 + r))
    }
}
