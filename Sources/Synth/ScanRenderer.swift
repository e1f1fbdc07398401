// The scanner: turns the filled 300 dpi page into the scan the reader gets, in one pass.
//
// Every output pixel is mapped back through the inverse of the page placement (scale, shear,
// rotation, shift, 180° turn) to a point on the 300 dpi page, which is read there through four
// bilinear taps spread by the resampling footprint plus the scan's blur (a small box-like
// filter: it antialiases the step down from 300 dpi and softens edges like a scanner's optics).
// The grey level is then mapped from paper-white/ink-black to the scan's paper tone and black
// point, sensor noise is added, and a bilevel scan is thresholded. Outside the sheet, and in a
// folded corner, the scanner sees its white lid. The harsh profile's shadow band and fold
// crease take light from the paper before the noise, and a punched hole shows the lid instead of
// the page (HarshScanner.swift).
//
// Why one pass: a 300 dpi A4 page is 8.7 million pixels, and rotating, blurring, toning and
// noising it in separate whole-page steps would cost several copies and several times the time
// for the same result. The placement is affine, so the source position of each pixel is a
// linear function of its output position.
import BlankettSupport
import Foundation
import FormTemplate
import PageImage

enum ScanRenderer {
    static func render(_ page: GrayImage, template: FormTemplate, settings: ScanSettings,
                       using rng: inout SeededGenerator) -> GrayImage {
        let (pageW, pageH) = (template.page.widthMm, template.page.heightMm)
        let outPPM = Double(settings.dpi) / 25.4, srcPPM = Double(page.width) / pageW
        let width = Int((pageW * outPPM).rounded()), height = Int((pageH * outPPM).rounded())

        // Output pixel centre -> page mm -> source pixel index coordinates (centres at integers).
        let geometry = settings.geometry(pageW: pageW, pageH: pageH)
        func source(_ u: Double, _ v: Double) -> (x: Double, y: Double) {
            let p = geometry.inverse(u / outPPM, v / outPPM)
            return (p.x * srcPPM - 0.5, p.y * srcPPM - 0.5)
        }
        let origin = source(0.5, 0.5), right = source(1.5, 0.5), down = source(0.5, 1.5)
        let (du, dv) = ((right.x - origin.x, right.y - origin.y), (down.x - origin.x, down.y - origin.y))

        let fold = settings.clippedMark.flatMap { name in template.registrationMarks.first { $0.name == name } }
            .map { Fold(mark: $0, pageW: pageW, pageH: pageH, srcPPM: srcPPM) }
        let reach = Float(0.25 * srcPPM / outPPM + settings.blur)
        let paper = Float(settings.paper), black = Float(settings.black)
        let toneScale = (paper - black) / (255 * 4)
        let noiseScale = Float(settings.noise) / 147.8  // Irwin–Hall of four bytes: sd 147.8
        let threshold = settings.threshold.map(Float.init)
        let (shadow, crease, holes) = (settings.shadow, settings.crease, settings.holes)
        let lid = Float(max((settings.holes?.lid ?? 0) - settings.black, 0))
        let (frameW, frameH) = (Double(width) / outPPM, Double(height) / outPPM)
        let (srcW, srcH) = (page.width, page.height)
        let (maxX, maxY) = (Double(srcW) - 0.5, Double(srcH) - 0.5)

        let pixels = [UInt8](unsafeUninitializedCapacity: width * height) { out, count in
            page.pixels.withUnsafeBufferPointer { src in
                @inline(__always) func tap(_ x: Float, _ y: Float) -> Float {
                    let xi = min(max(Int(x.rounded(.down)), 0), srcW - 2), yi = min(max(Int(y.rounded(.down)), 0), srcH - 2)
                    let tx = min(max(x - Float(xi), 0), 1), ty = min(max(y - Float(yi), 0), 1)
                    let i = yi * srcW + xi
                    let top = Float(src[i]) + (Float(src[i + 1]) - Float(src[i])) * tx
                    let bottom = Float(src[i + srcW]) + (Float(src[i + srcW + 1]) - Float(src[i + srcW])) * tx
                    return top + (bottom - top) * ty
                }
                var noise: UInt64 = 0
                for v in 0..<height {
                    for u in 0..<width {
                        let x = origin.x + Double(u) * du.0 + Double(v) * dv.0
                        let y = origin.y + Double(u) * du.1 + Double(v) * dv.1
                        let o = v * width + u
                        if x < -0.5 || y < -0.5 || x >= maxX || y >= maxY || fold?.covers(x, y) == true {
                            out[o] = 255
                            continue
                        }
                        let (fx, fy) = (Float(x), Float(y))
                        let sum = tap(fx - reach, fy - reach) + tap(fx + reach, fy - reach)
                            + tap(fx - reach, fy + reach) + tap(fx + reach, fy + reach)
                        if u & 1 == 0 { noise = rng.next() }
                        let bytes = u & 1 == 0 ? noise : noise >> 32
                        let gauss = Float((bytes & 0xFF) + (bytes >> 8 & 0xFF) + (bytes >> 16 & 0xFF) + (bytes >> 24 & 0xFF)) - 510
                        var reflected = sum * toneScale
                        if let holes {
                            let hole = holes.coverage((x + 0.5) / srcPPM, (y + 0.5) / srcPPM)
                            reflected += (lid - reflected) * hole
                        }
                        if let shadow { reflected *= shadow.light((Double(u) + 0.5) / outPPM, (Double(v) + 0.5) / outPPM, w: frameW, h: frameH) }
                        if let crease { reflected *= crease.light((x + 0.5) / srcPPM, (y + 0.5) / srcPPM) }
                        let value = black + reflected + gauss * noiseScale
                        if let threshold {
                            out[o] = value < threshold ? 0 : 255
                        } else {
                            out[o] = UInt8(min(max(value.rounded(), 0), 255))
                        }
                    }
                }
            }
            count = width * height
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// A corner of the sheet folded away: the triangle cut off by a line across the corner,
    /// far enough in to take the whole registration mark (and 3 mm more) with it.
    private struct Fold {
        let sx: Double, sy: Double, offset: Double

        init(mark: FormTemplate.Mark, pageW: Double, pageH: Double, srcPPM: Double) {
            let (cx, cy) = (mark.center[0], mark.center[1])
            let cornerX = cx < pageW / 2 ? 0.0 : pageW, cornerY = cy < pageH / 2 ? 0.0 : pageH
            let signX = cornerX == 0 ? 1.0 : -1.0, signY = cornerY == 0 ? 1.0 : -1.0
            let leg = abs(cx - cornerX) + abs(cy - cornerY) + mark.size + 3
            // In source pixel index coordinates: signX·mmX + signY·mmY < leg + signX·cornerX + signY·cornerY.
            sx = signX / srcPPM
            sy = signY / srcPPM
            offset = leg + signX * cornerX + signY * cornerY - (signX + signY) * 0.5 / srcPPM
        }

        func covers(_ x: Double, _ y: Double) -> Bool { sx * x + sy * y < offset }
    }
}
