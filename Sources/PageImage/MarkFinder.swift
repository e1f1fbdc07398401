// Finds the registration mark in one search window: coarse detection, then a local refinement
// at full resolution.
//
// Detection keeps the components of the coarse map that are shaped like a solid square seen
// at some rotation: about as wide as high, filling most of their bounding box, with the polar
// moment of a filled square (which does not depend on the rotation), and of a plausible size.
// Glyphs fail on compactness (strokes and counters), rules and box outlines on aspect and fill,
// specks on size, and a mark cut by the image border is dropped because its centre would be
// wrong. Of what remains, the largest wins: nothing else on a form corner is a big solid square.
//
// Refinement takes the ink-weighted centroid of the full-resolution pixels around the coarse
// blob. Each pixel weighs by how dark it is between the paper and ink levels, so the grey rim
// that blur and anti-aliasing leave around the square counts in proportion, which makes the
// centre sub-pixel accurate and unbiased by blur; the summed weight is the mark's area, whose
// square root is its side.

struct FoundMark {
    var x: Double, y: Double  // centre, continuous pixel coordinates
    var side: Double          // pixels
}

enum MarkFinder {
    /// Paper and ink closer than this (in grey levels, after 4 x 4 averaging) mean the window
    /// holds no ink: noise on blank paper stays well below it.
    static let minimumContrast = 48

    static func find(in image: GrayImage, window: PixelRect, sides: ClosedRange<Double>) -> FoundMark? {
        let map = CoarseMap(image, window: window)
        guard map.paper - map.dark >= minimumContrast else { return nil }
        let cell = Double(CoarseMap.cell)
        let best = map.components(darkerThan: (map.paper + map.dark + 1) / 2)
            .filter { blob in
                let aspect = Double(blob.boxWidth) / Double(blob.boxHeight)
                let fill = Double(blob.area) / Double(blob.boxWidth * blob.boxHeight)
                return !blob.touchesEdge
                    && sides.contains(Double(blob.area).squareRoot() * cell)
                    && (0.7...1.43).contains(aspect) && fill >= 0.55
                    && (0.145...0.19).contains(blob.compactness)
            }
            .max { $0.area < $1.area }
        guard let best else { return nil }
        return refine(image, blob: best, in: map)
    }

    private static func refine(_ image: GrayImage, blob: Component, in map: CoarseMap) -> FoundMark {
        let n = CoarseMap.cell
        let margin = max(2 * n, blob.boxWidth * n / 3)
        let rect = PixelRect(x0: map.origin.x + blob.minX * n - margin, y0: map.origin.y + blob.minY * n - margin,
                             x1: map.origin.x + (blob.maxX + 1) * n + margin, y1: map.origin.y + (blob.maxY + 1) * n + margin)
            .clipped(width: image.width, height: image.height)
        // Full weight below `ink`, none above `paper`: the quarter-contrast guard bands keep
        // paper noise and the noisy core of the mark from biasing the sums.
        let range = Double(map.paper - map.dark)
        let paper = Double(map.paper) - 0.25 * range, ink = Double(map.dark) + 0.25 * range
        let scale = 1 / (paper - ink)
        var weight = 0.0, sumX = 0.0, sumY = 0.0
        image.pixels.withUnsafeBufferPointer { px in
            for y in rect.y0..<rect.y1 {
                var rowWeight = 0.0, rowX = 0.0
                let row = y * image.width
                for x in rect.x0..<rect.x1 {
                    let w = min(max((paper - Double(px[row + x])) * scale, 0), 1)
                    rowWeight += w
                    rowX += w * Double(x)
                }
                weight += rowWeight
                sumX += rowX
                sumY += rowWeight * Double(y)
            }
        }
        return FoundMark(x: sumX / weight + 0.5, y: sumY / weight + 0.5, side: weight.squareRoot())
    }
}
