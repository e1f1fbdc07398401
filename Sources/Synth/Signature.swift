// A signature scribble in the namnteckning box: two or three words of running handwriting,
// each a prolate cycloid (a line that advances while it circles, looping where it turns back),
// with letter heights changing from loop to loop (short letters, tall ascenders, a capital
// first), the writer's slant, and sometimes an underline flourish.
//
// Why a curve and not real signatures: the reader only judges presence (is there handwriting
// in the box?), so what matters is ink of the right amount and character: thin, looping,
// connected strokes along a baseline, unlike a speck, a stray line or a printed box edge.
import BlankettSupport
import Foundation

enum Signature {
    static func draw(in box: [Double], on canvas: inout PageCanvas, pen: Pen, using rng: inout SeededGenerator) {
        let (bx, by, bw, bh) = (box[0], box[1], box[2], box[3])
        let midline = by + bh * rng.between(0.5, 0.65)
        let radius = rng.between(1.0, 1.8)                   // horizontal loop radius, mm
        let advance = radius * rng.between(0.45, 0.8)        // travel per radian: < radius makes loops
        var x = bx + rng.between(4, 25)
        for word in 0..<(2 + rng.below(2)) {
            let letters = 3 + rng.below(6)
            // Half-height of each letter's loop, mm: mostly short, some ascenders, a tall capital.
            let heights = (0...letters).map { i in
                i == 0 && word == 0 ? rng.between(4, 6) : (rng.chance(0.3) ? rng.between(3, 5) : rng.between(1.2, 2.2))
            }
            var points: [(x: Double, y: Double)] = []
            for step in 0...(letters * 24) {
                let t = Double(step) * 2 * .pi / 24
                let cycle = t / (2 * .pi)
                let i = min(Int(cycle), letters - 1), f = cycle - Double(i)
                let blend = 0.5 - 0.5 * cos(.pi * f)  // smooth change of height from loop to loop
                let height = heights[i] + (heights[i + 1] - heights[i]) * blend
                let up = height * cos(t)
                let px = x + advance * t - radius * sin(t) + pen.slant * up
                guard px < bx + bw - 2 else { break }
                points.append((px, min(max(midline - up, by + 1), by + bh - 1)))
            }
            canvas.stroke(points, width: pen.width * 0.8, tone: pen.tone)
            x = (points.last?.x ?? x) + rng.between(4, 8)
        }
        if rng.chance(0.3) {
            let start = bx + rng.between(3, 12), end = min(x, bx + bw - 3)
            let points = stride(from: start, through: end, by: 1.0).map { px in
                (x: px, y: min(midline + 4 + 0.8 * sin(px / 6), by + bh - 1))
            }
            canvas.stroke(points, width: pen.width * 0.8, tone: pen.tone)
        }
    }
}
