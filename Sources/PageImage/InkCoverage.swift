// Ink coverage of a whole page: the share of pixels clearly darker than its paper.
//
// Why it exists: when no marks are found the caller needs to know whether it got an empty
// sheet (re-scan the other side, or the feeder pulled two sheets) or some other document. Why
// it may read every pixel: it runs only on that failure path, so the registration hot path
// never pays for it. The paper level is the page median (most of any page is paper) and "ink"
// is anything darker than 55 % of it, which excludes noise, paper texture and toner haze but
// includes the form's mid-grey lines (110 on white).

enum InkCoverage {
    /// Below this share of ink pixels (about 30 mm² of an A4 page) a page counts as blank: dust
    /// and a stray speck are allowed, a single line of text is not.
    static let blankShare = 0.0005

    static func share(_ image: GrayImage) -> Double {
        guard !image.pixels.isEmpty else { return 0 }
        var histogram = [Int](repeating: 0, count: 256)
        image.pixels.withUnsafeBufferPointer { px in
            for value in px { histogram[Int(value)] += 1 }
        }
        var below = 0, paper = 255
        for level in 0..<256 {
            below += histogram[level]
            if 2 * below >= image.pixels.count { paper = level; break }
        }
        let ink = histogram[0..<(paper * 55 / 100)].reduce(0, +)
        return Double(ink) / Double(image.pixels.count)
    }
}
