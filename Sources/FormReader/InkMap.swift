// From a grey crop to an ink map: paper-relative darkness in [0, 1], with the blank's own grey
// lines taken out. The comb and box lines are printed mid-grey (a partial drop-out colour) at
// places the template knows, so instead of guessing lines from the image, every pixel within a
// thin band around a known line is erased unless it is clearly darker than printed grey, i.e.
// ink of a black pen crossing the line. Bilevel scans have turned the grey lines black, so there
// only the darkness across the line tells a stroke from it: a band pixel whose dark run across
// the line is much thicker than the printed line (a stroke crossing it, or written along it, as
// the base of a large 2 often is) is kept, and the rest of the band is erased. (Erasing bands
// whole cut every crossing stroke and took the base of such a 2 away, leaving a 7.) The same
// rule keeps a pencil stroke as grey as the print where it runs along or across a line.
import DigitImage
import PageImage

struct LineBands {
    /// Positions in crop pixels of vertical and horizontal lines, and their half-width.
    var columns: [Double] = []
    var rows: [Double] = []
    var halfWidth: Double
    /// A dark run across a line longer than this many pixels is a stroke, not the printed line.
    var strokeRun: Int

    /// Per index along one axis, whether it lies in a band; a lookup beats a distance test per pixel.
    func mask(_ count: Int, _ lines: [Double]) -> [Bool] {
        (0..<count).map { i in lines.contains { abs(Double(i) + 0.5 - $0) <= halfWidth } }
    }
}

enum InkMap {
    /// Share of pure black or white pixels above which a page is taken as bilevel.
    static let bilevelShare = 0.97

    /// Decided on the page, not the crop: resampling a crop blurs black and white into greys.
    /// Every 97th pixel (40,000–90,000 of them) is plenty to tell, and costs nothing beside decoding.
    static func isBilevel(_ page: GrayImage) -> Bool {
        var pure = 0, n = 0
        for i in stride(from: 0, to: page.pixels.count, by: 97) {
            n += 1
            if page.pixels[i] == 0 || page.pixels[i] == 255 { pure += 1 }
        }
        return Double(pure) >= bilevelShare * Double(max(n, 1))
    }

    static func make(_ crop: GrayImage, lines: LineBands, bilevel: Bool) -> InkImage {
        var histogram = [Int](repeating: 0, count: 256)
        for v in crop.pixels { histogram[Int(v)] += 1 }
        let count = crop.pixels.count
        // Paper is the 90th percentile: most of a cell is paper, and it ignores specks of white noise.
        var seen = 0, paper = 255
        for v in stride(from: 255, through: 0, by: -1) {
            seen += histogram[v]
            if seen >= count / 10 { paper = v; break }
        }
        let paperLevel = Float(max(paper, 64))
        // Printed grey sits near 110 on white paper; a pen stroke in the band must be well below it.
        let penCut = UInt8(clamping: Int(paperLevel * 0.3))
        // Printed grey and every pen are darker than this; paper and its noise are not.
        let darkCut = UInt8(clamping: Int(paperLevel * 0.6))
        let inColumnBand = lines.mask(crop.width, lines.columns), inRowBand = lines.mask(crop.height, lines.rows)
        let w = crop.width, h = crop.height
        var ink = [Float](repeating: 0, count: count)
        crop.pixels.withUnsafeBufferPointer { pixels in
            /// Whether the dark run through (x, y) along (dx, dy) is longer than a printed line.
            @inline(__always) func strokeAcross(_ x: Int, _ y: Int, _ dx: Int, _ dy: Int) -> Bool {
                RunLength.through(x, y, dx, dy, width: w, height: h, cap: lines.strokeRun) { pixels[$0] < darkCut } > lines.strokeRun
            }
            for y in 0..<h {
                for x in 0..<w {
                    let v = pixels[y * w + x]
                    let inRow = inRowBand[y], inColumn = inColumnBand[x]
                    if inRow || inColumn, bilevel || v > penCut {
                        // Where two lines meet, the run along each is long: only a pixel on one
                        // line alone is judged by its run across.
                        guard !(inRow && inColumn), v < darkCut, inRow ? strokeAcross(x, y, 0, 1) : strokeAcross(x, y, 1, 0)
                        else { continue }
                    }
                    ink[y * w + x] = max(0, min(1, (paperLevel - Float(v)) / paperLevel))
                }
            }
        }
        return InkImage(width: w, height: h, ink: ink)
    }

    /// Ink area in mm² inside the crop rectangle `inner` (pixels), counting pixels above `level`.
    static func area(_ image: InkImage, inner: (x0: Int, y0: Int, x1: Int, y1: Int), pixelsPerMM: Double,
                     level: Float = DigitNormalizer.threshold) -> Double {
        let (x0, x1) = (max(0, inner.x0), min(image.width, inner.x1)), (y0, y1) = (max(0, inner.y0), min(image.height, inner.y1))
        // A rectangle too small for its margins (a template's tiny box) lies outside the crop: no ink.
        guard x0 < x1, y0 < y1 else { return 0 }
        var n = 0
        for y in y0..<y1 {
            for x in x0..<x1 where image.ink[y * image.width + x] >= level { n += 1 }
        }
        return Double(n) / (pixelsPerMM * pixelsPerMM)
    }
}

extension InkImage {
    /// Back to 8-bit grey on white paper, e.g. for Tesseract or a person.
    public var grey: GrayImage {
        GrayImage(width: width, height: height, pixels: ink.map { UInt8(255 - (min(max($0, 0), 1) * 255).rounded()) })
    }
}
