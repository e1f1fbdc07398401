// A box-downsampled view (4 x 4 pixel means) of one search window, with its paper and ink
// levels.
//
// Why: registration marks are 6–9 mm, 47–106 pixels across at 200–300 dpi, so a 4x coarser
// view still shows them 12–27 cells wide, while it has 16x fewer cells to label and averages
// scanner noise down by 4x. Only the search windows are reduced (about a fifth of the page),
// never the whole page. Why the levels come from the window itself: paper tone and toner
// density vary between scanners and across one page, so the ink threshold is set midway
// between this window's paper (its median: marks and text cover a few per cent of a corner)
// and its darkest cell, instead of being a fixed grey.

struct PixelRect: Hashable, Sendable {
    var x0: Int, y0: Int, x1: Int, y1: Int  // half-open

    var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

    func clipped(width: Int, height: Int) -> PixelRect {
        PixelRect(x0: max(x0, 0), y0: max(y0, 0), x1: min(x1, width), y1: min(y1, height))
    }
}

struct CoarseMap {
    static let cell = 4

    let origin: (x: Int, y: Int)  // image pixel of cell (0, 0)'s top-left corner
    let width: Int, height: Int   // in cells; partial cells at the window's edge are dropped
    let values: [UInt8]
    let paper: Int, dark: Int

    init(_ image: GrayImage, window: PixelRect) {
        let n = Self.cell
        origin = (window.x0, window.y0)
        width = max(0, (window.x1 - window.x0) / n)
        height = max(0, (window.y1 - window.y0) / n)
        let (w, h) = (width, height)
        var histogram = [Int](repeating: 0, count: 256)
        values = [UInt8](unsafeUninitializedCapacity: w * h) { out, count in
            var sums = [UInt32](repeating: 0, count: w)
            image.pixels.withUnsafeBufferPointer { px in
                for cy in 0..<h {
                    for i in 0..<w { sums[i] = 0 }
                    for row in 0..<n {
                        var p = (window.y0 + cy * n + row) * image.width + window.x0
                        for i in 0..<w {
                            sums[i] &+= UInt32(px[p]) &+ UInt32(px[p + 1]) &+ UInt32(px[p + 2]) &+ UInt32(px[p + 3])
                            p += n
                        }
                    }
                    for i in 0..<w {
                        let mean = UInt8(truncatingIfNeeded: (sums[i] + UInt32(n * n / 2)) / UInt32(n * n))
                        out[cy * w + i] = mean
                        histogram[Int(mean)] += 1
                    }
                }
            }
            count = w * h
        }
        var below = 0, median = 255
        for level in 0..<256 {
            below += histogram[level]
            if 2 * below >= w * h { median = level; break }
        }
        paper = median
        dark = histogram.firstIndex { $0 > 0 } ?? 255
    }

    subscript(x: Int, y: Int) -> UInt8 { values[y * width + x] }

    /// Whether the ring of cells just outside the blob's box (as far out as the refinement
    /// reaches) is paper on average, not a shadow band lighter than the ink threshold.
    func paperAround(_ blob: Component) -> Bool {
        let margin = max(2, blob.boxWidth / 3) + 1
        let (x0, y0) = (max(blob.minX - margin, 0), max(blob.minY - margin, 0))
        let (x1, y1) = (min(blob.maxX + margin, width - 1), min(blob.maxY + margin, height - 1))
        var sum = 0, count = 0
        for x in x0...x1 { sum += Int(self[x, y0]) + Int(self[x, y1]); count += 2 }
        for y in y0...y1 { sum += Int(self[x0, y]) + Int(self[x1, y]); count += 2 }
        return 4 * sum >= count * (4 * paper - (paper - dark))
    }

    private init(origin: (x: Int, y: Int), width: Int, height: Int, values: [UInt8], paper: Int, dark: Int) {
        (self.origin, self.width, self.height, self.values, self.paper, self.dark) = (origin, width, height, values, paper, dark)
    }

    /// The map judged against its local paper (LocalBackground, over squares wider than any
    /// feature up to `featureCells` across): ink (0) where a cell is darker than half the paper
    /// around it by at least `minimumContrast`, paper (255) elsewhere. The background's level at
    /// each cell comes with it, for the refinement's weights.
    func againstLocalPaper(featureCells: Int, minimumContrast: Int) -> (map: CoarseMap, background: [UInt8]) {
        let background = LocalBackground.closing(values, width: width, height: height, radius: featureCells / 2 + 2)
        let ink = zip(values, background).map { (v: UInt8, b: UInt8) -> UInt8 in
            let (value, paper) = (Int(v), Int(b))
            return 2 * value < paper && paper - value >= minimumContrast ? 0 : 255
        }
        return (CoarseMap(origin: origin, width: width, height: height, values: ink, paper: 255, dark: 0), background)
    }
}
