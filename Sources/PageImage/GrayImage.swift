// A scanned page as 8-bit grey, row-major, 255 = white paper, 0 = black ink.
//
// Why 8-bit grey and nothing richer: the scans are greyscale or bilevel, the form's only
// colour distinction (mid-grey box lines against black ink) survives in grey, and one byte a
// pixel keeps a 300 dpi A4 page at 8.7 MB so that decoding stays the dominant cost.
//
// Coordinates: pixel (i, j) covers the square [i, i+1) x [j, j+1), so its centre is at
// (i + 0.5, j + 0.5). Mark centres and the page transform use this continuous frame, which
// makes a 180° turn of the page the exact map u -> width - u, v -> height - v.

public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "GrayImage: \(pixels.count) pixels for \(width) x \(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A page of one tone, 255 (paper) unless told otherwise.
    public init(width: Int, height: Int, fill: UInt8 = 255) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height))
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }
}
