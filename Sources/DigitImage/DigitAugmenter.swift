// Turns an MNIST digit into what the form reader would cut out of a scan: a comb cell (7 x 9 mm)
// plus a 1-2 mm margin on each side, at 200-300 dpi, with the digit written into it.
//
// Why this and not the usual MNIST augmentation: the network is trained on
// normalize(augment(mnist)) and used on normalize(extract(scan)). The shared normaliser only
// removes the differences it can see; whatever survives it (resampling from a different size,
// stroke width, blur, grain, bilevel edges, line remnants touching the digit, specks it
// misjudges) must appear in training too. So the augmenter simulates the scan, not the digit.
//
// Pipeline, each effect with its probability at strength 1 (probabilities and magnitudes both
// scale with `strength`, so 0 leaves a clean, upright digit of 65% cell height, centred):
//  - scan size: 200-300 dpi, margins 1-2 mm per side (always; it is part of resampling);
//  - affine (always): digit height 45-85% of the cell, aspect +-15% (and squeezed to fit the
//    cell's width, as writers do), slant (shear) +-0.3, rotation +-12 deg, offset from the
//    cell centre by up to 15% of the cell width and 25% of its height, and never more than 8%
//    of the cell past the point where the digit's box touches a cell line;
//  - elastic warp p 0.5: displacement up to 1-3 px at 28-px scale, 6-9 px apart;
//  - stroke width p 0.35: grey dilation or erosion by 0.5-1 px at canvas scale;
//  - pen p 0.4: contrast gain 1-2.5 (crisper edges), ink level 0.55-1 (fainter pens);
//  - scanner blur p 0.3: Gaussian sigma 0.4-1.2 px;
//  - cell-line remnants p 0.4: each of the four lines with p 0.6 (see CellBorders);
//  - dust p 0.25: 1-6 specks of radius 0.1-0.2 mm;
//  - paper p 0.5: tone 0-0.08, grain sigma 0.01-0.06;
//  - bilevel p 0.12: threshold 0.3-0.6.
// Everything is drawn from the caller's generator, so a seed reproduces a sample exactly.

import BlankettSupport

public struct DigitAugmenter: Sendable {
    public let strength: Float

    static let cellWidthMM: Float = 7
    static let cellHeightMM: Float = 9

    /// `strength` 0 gives a clean, upright, centred digit; 1 the ranges above; up to 2 more
    /// geometric and stroke variation (ink level and paper noise stay capped at their
    /// strength-1 extremes, beyond which a digit would fall under the ink threshold).
    public init(strength: Float = 1) {
        precondition((0...2).contains(strength), "DigitAugmenter: strength must be in 0...2")
        self.strength = strength
    }

    /// A cell crop holding `digit` (an MNIST-style image, ink high), sized like a 200-300 dpi scan.
    public func cell(from digit: InkImage, using rng: inout SeededGenerator) -> InkImage {
        let s = strength
        func chance(_ p: Float) -> Bool { rng.unit() < p * min(s, 1) }

        let ppm = rng.uniform(200, 300) / 25.4
        let (left, right) = (rng.uniform(1, 2), rng.uniform(1, 2))
        let (top, bottom) = (rng.uniform(1, 2), rng.uniform(1, 2))
        let width = Int(((Self.cellWidthMM + left + right) * ppm).rounded())
        let height = Int(((Self.cellHeightMM + top + bottom) * ppm).rounded())
        let cell = CellBorders.Cell(left: left * ppm, right: (left + Self.cellWidthMM) * ppm,
                                    top: top * ppm, bottom: (top + Self.cellHeightMM) * ppm)
        // A blank digit still gets paper, dust and line remnants: an empty cell, as scanned.
        var image = InkImage.zeros(width: width, height: height), region = PixelRect.empty
        if let ink = inkBox(digit) {
            let forward = placement(ink, in: cell, s: s, using: &rng)
            // Grid spacing is drawn in source pixels and laid on the canvas at the digit's scale.
            let zoom = abs(forward.a * forward.d - forward.b * forward.c).squareRoot()
            let elastic = chance(0.5)
                ? ElasticField(width: width, height: height, spacing: zoom * rng.uniform(6, 9),
                               alpha: s * rng.uniform(1, 3), using: &rng)
                : nil
            (image, region) = AffineRender.render(digit, ink: ink, forward: forward, elastic: elastic,
                                                  width: width, height: height)
        }
        if chance(0.35) {
            let dilate = rng.unit() < 0.5
            Morphology.adjustStrokes(&image, region: region, dilate: dilate, amount: min(1, s * rng.uniform(0.5, 1)))
            region = region.grown(by: 1, within: width, height)
        }
        if chance(0.4) {
            Tone.pen(&image, region: region, gain: 1 + s * rng.uniform(0, 1.5),
                     level: max(0.55, 1 - s * rng.uniform(0, 0.45)))
        }
        if chance(0.3) {
            Blur.gaussian(&image, region: region, sigma: s * rng.uniform(0.4, 1.2))
        }
        if chance(0.4) {
            CellBorders.drawRemnants(&image, cell: cell, pixelsPerMM: ppm, share: 0.6, using: &rng)
        }
        if chance(0.25) {
            Noise.specks(&image, count: 1 + Int(rng.unit() * 6), radius: 0.2 * ppm, using: &rng)
        }
        if chance(0.5) {
            Noise.paper(&image, tone: min(0.08, s * rng.uniform(0, 0.08)),
                        sigma: min(0.06, s * rng.uniform(0.01, 0.06)), using: &rng)
        }
        if chance(0.12) {
            Tone.bilevel(&image, threshold: rng.uniform(0.3, 0.6))
        }
        return image
    }

    /// The map from digit pixels to canvas pixels: scale, slant, rotate, then put in the cell.
    private func placement(_ ink: PixelRect, in cell: CellBorders.Cell, s: Float,
                           using rng: inout SeededGenerator) -> Affine2D {
        let cellW = cell.right - cell.left, cellH = cell.bottom - cell.top
        let inkW = Float(ink.x1 - ink.x0), inkH = Float(ink.y1 - ink.y0)
        let scaleY = (0.65 + s * rng.uniform(-0.2, 0.2)) * cellH / inkH
        let scaleX = min(scaleY * (1 + s * rng.uniform(-0.15, 0.15)), 1.05 * cellW / inkW)
        var forward = Affine2D(scaleX: scaleX, scaleY: scaleY, shear: s * rng.uniform(-0.3, 0.3),
                               angle: s * rng.uniform(-12, 12) * .pi / 180)

        // Extent of the transformed ink box, to keep the digit (roughly) inside the cell.
        let spanX = abs(forward.a) * inkW + abs(forward.b) * inkH
        let spanY = abs(forward.c) * inkW + abs(forward.d) * inkH
        let slackX = min(0.15 * cellW, max(0, (cellW - spanX) / 2) + 0.08 * cellW)
        let slackY = min(0.25 * cellH, max(0, (cellH - spanY) / 2) + 0.08 * cellH)
        // Canvas pixel centres sit at integers, hence the -0.5 from continuous coordinates.
        let targetX = (cell.left + cell.right) / 2 - 0.5 + s * rng.uniform(-1, 1) * slackX
        let targetY = (cell.top + cell.bottom) / 2 - 0.5 + s * rng.uniform(-1, 1) * slackY
        let inkCentreX = Float(ink.x0 + ink.x1 - 1) / 2, inkCentreY = Float(ink.y0 + ink.y1 - 1) / 2
        let moved = forward.apply(inkCentreX, inkCentreY)
        forward.tx = targetX - moved.x
        forward.ty = targetY - moved.y
        return forward
    }

    /// Bounding box of the digit's non-zero pixels, or nil for a blank image.
    private func inkBox(_ digit: InkImage) -> PixelRect? {
        var box = PixelRect(x0: digit.width, y0: digit.height, x1: 0, y1: 0)
        for y in 0..<digit.height {
            for x in 0..<digit.width where digit[x, y] > 0 {
                box = PixelRect(x0: min(box.x0, x), y0: min(box.y0, y), x1: max(box.x1, x + 1), y1: max(box.y1, y + 1))
            }
        }
        return box.isEmpty ? nil : box
    }
}
