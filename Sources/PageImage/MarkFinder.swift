// Finds the registration mark in one search window: coarse detection, then a local refinement
// at full resolution; and fits a mark cut by the image border from its visible part.
//
// Detection keeps the components of the coarse map that are shaped like a solid square seen
// at some rotation: about as wide as high, filling most of their bounding box, with the polar
// moment of a filled square (which does not depend on the rotation), and of a plausible size.
// Glyphs fail on compactness (strokes and counters), rules, fold creases and box outlines on
// aspect and fill, specks and staple holes on size, punched holes (a scanner's black lid seen
// through them) on their lack of corners, and a mark cut by the image border is dropped because
// its centre would be wrong. Of what remains, the largest wins: nothing else on
// a form corner is a big solid square. The ink threshold lies midway between the window's paper
// and its darkest cell; when that finds no mark, the window is judged again against its local
// paper (CoarseMap.againstLocalPaper), which finds a mark lying in a scanner-lid shadow or a
// fold's shadow, where one threshold merges the mark with the band.
//
// Refinement takes the ink-weighted centroid of the full-resolution pixels around the coarse
// blob. Each pixel weighs by how dark it is between the paper and ink levels, so the grey rim
// that blur and anti-aliasing leave around the square counts in proportion, which makes the
// centre sub-pixel accurate and unbiased by blur; the summed weight is the mark's area, whose
// square root is its side.
//
// A clipped mark: where the other marks put it, with their scale and rotation, the template's
// square is moved until the centroid of its part inside the image equals the centroid of the
// ink seen there (a fixed-point iteration: along a cut edge the visible centroid moves half as
// far as the square, so the error halves each step; along it, it moves as far). The ink's area
// must then match the visible part's, so text or a shadow near the edge is not taken for it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct FoundMark {
    var x: Double, y: Double  // centre, continuous pixel coordinates
    var side: Double          // pixels
}

enum MarkFinder {
    /// Paper and ink closer than this (in grey levels, after 4 x 4 averaging) mean the window
    /// holds no ink: noise on blank paper stays well below it.
    static let minimumContrast = 48
    /// A square's four-fold symmetry is 1/60 (ComponentCells.fourFold), a disc's 0; coarse cells
    /// and blur move both. Simulated at any rotation and sub-cell phase, 10 to 26 cells across (a
    /// 6 mm mark at 200 dpi is 12) and blurred by about a cell, squares kept at least 0.0088 and
    /// discs at most 0.0057; sharp, from 5 cells, 0.0105 against 0.0052. About midway; every mark
    /// of the 20 SampleScans measures 0.0134 or more.
    static let minimumFourFold = 0.0075

    static func find(in image: GrayImage, window: PixelRect, sides: ClosedRange<Double>) -> FoundMark? {
        let map = CoarseMap(image, window: window)
        guard map.paper - map.dark >= minimumContrast else { return nil }
        let cell = Double(CoarseMap.cell)
        let global = square(in: map, threshold: (map.paper + map.dark + 1) / 2, sides: sides)
        if let blob = global, map.paperAround(blob) {
            return refine(image, blob: blob, in: map, paper: { _, _ in map.paper }, ink: map.dark)
        }
        // In a band lighter than the threshold the mark is found, but its surroundings would weigh as ink.
        let local = map.againstLocalPaper(featureCells: Int(sides.upperBound / cell), minimumContrast: minimumContrast)
        guard let blob = global ?? square(in: local.map, threshold: 128, sides: sides) else { return nil }
        var ink = 255
        for y in blob.minY...blob.maxY { for x in blob.minX...blob.maxX { ink = min(ink, Int(map[x, y])) } }
        // The paper level of each pixel is the background of its cell: a band's edge may cross the mark.
        let n = CoarseMap.cell
        return refine(image, blob: blob, in: map, paper: { x, y in
            let cx = min(max((x - map.origin.x) / n, 0), map.width - 1), cy = min(max((y - map.origin.y) / n, 0), map.height - 1)
            return Int(local.background[cy * map.width + cx])
        }, ink: ink)
    }

    /// The largest component darker than `threshold` shaped like a mark.
    private static func square(in map: CoarseMap, threshold: Int, sides: ClosedRange<Double>) -> Component? {
        let cell = Double(CoarseMap.cell)
        let found = map.components(darkerThan: threshold)
        return found.components
            .filter { blob in
                let aspect = Double(blob.boxWidth) / Double(blob.boxHeight)
                let fill = Double(blob.area) / Double(blob.boxWidth * blob.boxHeight)
                return !blob.touchesEdge
                    && sides.contains(Double(blob.area).squareRoot() * cell)
                    && (0.7...1.43).contains(aspect) && fill >= 0.55
                    && (0.145...0.19).contains(blob.compactness)
                    && found.fourFold(blob) >= minimumFourFold
            }
            .max { $0.area < $1.area }
    }

    /// `paper`: the paper's level at an image pixel.
    private static func refine(_ image: GrayImage, blob: Component, in map: CoarseMap, paper: (Int, Int) -> Int, ink: Int) -> FoundMark {
        let n = CoarseMap.cell
        let margin = max(2 * n, blob.boxWidth * n / 3)
        let rect = PixelRect(x0: map.origin.x + blob.minX * n - margin, y0: map.origin.y + blob.minY * n - margin,
                             x1: map.origin.x + (blob.maxX + 1) * n + margin, y1: map.origin.y + (blob.maxY + 1) * n + margin)
            .clipped(width: image.width, height: image.height)
        // Full weight below `ink`, none above `paper`: the quarter-contrast guard bands keep
        // paper noise and the noisy core of the mark from biasing the sums.
        let ink = inkSums(image, rect, paper: paper, ink: ink)
        return FoundMark(x: ink.x, y: ink.y, side: ink.area.squareRoot())
    }

    /// Area and centroid of the ink in `rect`, each pixel weighed by its darkness between the
    /// paper's level there and the ink's.
    private static func inkSums(_ image: GrayImage, _ rect: PixelRect, paper level: (Int, Int) -> Int, ink: Int) -> (area: Double, x: Double, y: Double) {
        var weight = 0.0, sumX = 0.0, sumY = 0.0
        image.pixels.withUnsafeBufferPointer { px in
            for y in rect.y0..<rect.y1 {
                var rowWeight = 0.0, rowX = 0.0
                let row = y * image.width
                for x in rect.x0..<rect.x1 {
                    let range = Double(level(x, y) - ink)
                    let paper = Double(level(x, y)) - 0.25 * range
                    let w = min(max((paper - Double(px[row + x])) / max(0.5 * range, 1), 0), 1)
                    rowWeight += w
                    rowX += w * Double(x)
                }
                weight += rowWeight
                sumX += rowX
                sumY += rowWeight * Double(y)
            }
        }
        return (weight, sumX / max(weight, 1e-9) + 0.5, sumY / max(weight, 1e-9) + 0.5)
    }

    /// At least this share of a clipped mark must be inside the image to fix its centre.
    static let minimumVisibleShare = 0.15
    /// The ink seen and the square's visible part may differ in area by this share.
    static let clippedAreaTolerance = 0.25

    /// The centre of a mark of `side` pixels turned by `angle` radians, predicted near
    /// `predicted` and cut by the image border; nil when it is not cut, shows too little, or the
    /// ink there is not its visible part.
    static func fitClipped(in image: GrayImage, predicted: (x: Double, y: Double), side: Double, angle: Double) -> FoundMark? {
        let (co, si) = (cos(angle), sin(angle))
        let (w, h) = (Double(image.width), Double(image.height))
        func inside(_ x: Double, _ y: Double) -> Bool { x >= 0 && y >= 0 && x < w && y < h }
        // The visible part of the square centred at c, sampled every half pixel: its area and centroid.
        func visible(_ c: (x: Double, y: Double)) -> (area: Double, x: Double, y: Double) {
            let step = 0.5, n = Int((side / step).rounded(.up))
            var count = 0.0, sx = 0.0, sy = 0.0
            for j in 0..<n {
                let v = (Double(j) + 0.5) * step - side / 2
                for i in 0..<n {
                    let u = (Double(i) + 0.5) * step - side / 2
                    let x = c.x + co * u - si * v, y = c.y + si * u + co * v
                    if inside(x, y) { count += 1; sx += x; sy += y }
                }
            }
            return (count * step * step, sx / max(count, 1), sy / max(count, 1))
        }
        let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)].map { (predicted.x + side / 2 * (co * $0 - si * $1), predicted.y + side / 2 * (si * $0 + co * $1)) }
        guard !corners.allSatisfy({ inside($0.0, $0.1) }) else { return nil }

        let around = PixelRect(x0: Int(predicted.x - 1.5 * side), y0: Int(predicted.y - 1.5 * side),
                               x1: Int(predicted.x + 1.5 * side), y1: Int(predicted.y + 1.5 * side)).clipped(width: image.width, height: image.height)
        let levels = CoarseMap(image, window: around)
        guard levels.width > 0, levels.height > 0, levels.paper - levels.dark >= minimumContrast else { return nil }
        var c = predicted
        for _ in 0..<3 {
            let reach = side * 0.72 + 0.3 * side
            let rect = PixelRect(x0: Int(c.x - reach), y0: Int(c.y - reach), x1: Int(c.x + reach) + 1, y1: Int(c.y + reach) + 1)
                .clipped(width: image.width, height: image.height)
            guard !rect.isEmpty else { return nil }
            let seen = inkSums(image, rect, paper: { _, _ in levels.paper }, ink: levels.dark)
            guard seen.area >= minimumVisibleShare * side * side else { return nil }
            for _ in 0..<25 {
                let model = visible(c)
                guard model.area > 0 else { return nil }
                c = (c.x + seen.x - model.x, c.y + seen.y - model.y)
            }
        }
        let model = visible(c)
        let rect = PixelRect(x0: Int(c.x - side), y0: Int(c.y - side), x1: Int(c.x + side) + 1, y1: Int(c.y + side) + 1)
            .clipped(width: image.width, height: image.height)
        let seen = inkSums(image, rect, paper: { _, _ in levels.paper }, ink: levels.dark)
        guard model.area >= minimumVisibleShare * side * side, abs(seen.area / model.area - 1) <= clippedAreaTolerance,
              hypot(seen.x - model.x, seen.y - model.y) <= 0.05 * side else { return nil }
        return FoundMark(x: c.x, y: c.y, side: side)
    }
}
