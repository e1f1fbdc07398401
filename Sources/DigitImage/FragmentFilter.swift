// Which ink components are the digit: everything except edge slivers, cell-line remnants and
// specks. All limits are fractions of the crop, because the crop is always about one comb cell
// plus a margin (about 10 x 12 mm) whatever the scan resolution, so a fraction of the crop is a
// fixed physical size; on a bare 28 x 28 MNIST digit the same fractions leave the digit alone.
//
// The rules, applied to each 8-connected component of ink (found by DigitNormalizer at a level
// below `threshold`, the stroke level):
//  0. Faint: no pixel of it reaches the stroke level. A smudge, show-through or the halo of a
//     line, not a pen stroke. (The components are found at a lower level than the stroke's, so
//     that a faint stretch joins the stroke it belongs to; sizes below count stroke pixels only,
//     so the faint halo of a speck does not make it a stroke.)
//  1. Edge sliver: its bounding box lies inside the outer 12% band of one side (~1.2 mm, about
//     the margin the reader's crop keeps outside the cell line). Comb cells sit side by side,
//     so what is confined there is the neighbour's stroke or scanner debris, not this digit.
//  2. Cell-line remnant: every pixel lies in the outer 25% ring (margin + the cell line, with
//     slack for crop jitter) and it is line-like: at least 90% of its pixels sit on a
//     horizontal or vertical run of ink at most 5% of the crop's short side long (~0.5 mm).
//     That is true across a straight line and both arms of an L-shaped corner, and false for
//     a pen stroke, whose runs are its width or, slanted, longer. The PM 7001 comb is printed
//     0.25 mm wide. A digit part that touches the central region is never dropped this way, so
//     a stroke that crosses a cell line keeps the remnant attached to it (they are one
//     component), by design: telling them apart needs the line's position, which only the
//     form reader knows. When the reader gives the cell, a remnant must also lie along the cell's
//     edges (within 6 % of the crop, ~0.6 mm): a thin ballpoint stroke is line-like too, and the
//     narrow right side of a 0 or the base of a 2 written inside the cell was dropped as one.
//  3. Speck: smaller than 0.15% of the crop (dust; at least 2 px) or than 4% of the largest
//     surviving component (dust next to a big digit, noise blobs).
// The rest is kept, however many pieces: a 5's flag or a 4's stem is often written apart.
// Known blind spot: a thin, lone 1 written right against a vertical cell line looks like a
// remnant and the cell reads as empty.
enum FragmentFilter {
    static let edgeBand: Float = 0.12
    static let ringBand: Float = 0.25
    static let lineWidth: Float = 0.05
    static let lineReach: Float = 0.06
    static let speckArea: Float = 0.0015
    static let speckShare: Float = 0.04

    /// One flag per component of `found`: true when it belongs to the digit.
    /// `cell`, when known, is the writing cell: its edges are where the printed lines run.
    static func digitComponents(_ found: InkComponents, in image: InkImage, threshold: Float,
                                cell: (x0: Int, y0: Int, x1: Int, y1: Int)? = nil) -> [Bool] {
        let w = image.width, h = image.height
        let components = found.components
        let reachesCentre = centralComponents(found, width: w, height: h)
        let edgeX = max(2, Int((edgeBand * Float(w)).rounded()))
        let edgeY = max(2, Int((edgeBand * Float(h)).rounded()))
        let maxLineWidth = Int(lineWidth * Float(min(w, h)))

        var keep = components.indices.map { i -> Bool in
            let c = components[i]
            if c.strongArea == 0 { return false }
            if c.maxX < edgeX || c.minX >= w - edgeX || c.maxY < edgeY || c.minY >= h - edgeY { return false }
            return reachesCentre[i]
                || !(isLineLike(c, found, image, threshold: threshold, maxWidth: maxLineWidth) && alongCellLines(c, found, w, h, cell))
        }
        let largest = components.indices.filter { keep[$0] }.map { components[$0].strongArea }.max() ?? 0
        let minArea = max(2, speckArea * Float(w * h), speckShare * Float(largest))
        for i in components.indices where Float(components[i].strongArea) < minArea {
            keep[i] = false
        }
        return keep
    }

    /// Whether 90% of the component's pixels lie on a horizontal or vertical run of ink
    /// (>= threshold) of at most `maxWidth` pixels.
    private static func isLineLike(_ c: InkComponent, _ found: InkComponents, _ image: InkImage,
                                   threshold: Float, maxWidth: Int) -> Bool {
        let w = image.width, h = image.height
        return image.ink.withUnsafeBufferPointer { ink in
            func run(_ x: Int, _ y: Int, _ dx: Int, _ dy: Int) -> Int {
                RunLength.through(x, y, dx, dy, width: w, height: h, cap: maxWidth) { ink[$0] >= threshold }
            }
            let thin = found.pixels[c.first ..< c.first + c.area].filter { p in
                let x = Int(p) % w, y = Int(p) / w
                return run(x, y, 1, 0) <= maxWidth || run(x, y, 0, 1) <= maxWidth
            }.count
            return thin * 10 >= c.area * 9
        }
    }

    /// Whether every pixel lies within `lineReach` of one of the cell's edges, where the printed
    /// lines are; true when the cell is not known (a training crop), so the rule stands alone there.
    private static func alongCellLines(_ c: InkComponent, _ found: InkComponents, _ w: Int, _ h: Int,
                                       _ cell: (x0: Int, y0: Int, x1: Int, y1: Int)?) -> Bool {
        guard let cell else { return true }
        let near = max(2, Int((lineReach * Float(min(w, h))).rounded()))
        return found.pixels[c.first ..< c.first + c.area].allSatisfy { p in
            let x = Int(p) % w, y = Int(p) / w
            return abs(x - cell.x0) <= near || abs(x - cell.x1) <= near || abs(y - cell.y0) <= near || abs(y - cell.y1) <= near
        }
    }

    /// Components with at least one pixel inside the ring's inner rectangle.
    private static func centralComponents(_ found: InkComponents, width w: Int, height h: Int) -> [Bool] {
        let bx = Int((ringBand * Float(w)).rounded()), by = Int((ringBand * Float(h)).rounded())
        return found.pixels.withUnsafeBufferPointer { pixels in
            found.components.map { c in
                pixels[c.first ..< c.first + c.area].contains { p in
                    let x = Int(p) % w, y = Int(p) / w
                    return x >= bx && x < w - bx && y >= by && y < h - by
                }
            }
        }
    }
}
