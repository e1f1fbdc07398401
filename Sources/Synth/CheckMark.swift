// A mark in an uttag box: a cross, a tick or a scribbled fill, as people mark check boxes.
//
// Why three styles and sloppy geometry: the reader must decide "marked" from ink inside a 5 mm
// box, and real marks overshoot the box, start off-centre or fill it unevenly. Strokes are the
// pen's width or a little more (a deliberate mark is pressed harder), so they are thick and
// anti-aliased like the rest of the ink.
import BlankettSupport

enum CheckMark {
    static func draw(in box: [Double], on canvas: inout PageCanvas, pen: Pen, using rng: inout SeededGenerator) {
        let (x, y, w, h) = (box[0], box[1], box[2], box[3])
        let width = pen.width * rng.between(1.0, 1.4)
        func jitter(_ px: Double, _ py: Double, _ amount: Double = 0.5) -> (x: Double, y: Double) {
            (px + rng.normal(amount), py + rng.normal(amount))
        }
        switch rng.below(3) {
        case 0:  // cross, corner to corner, often past the box line
            canvas.stroke([jitter(x + 0.4, y + 0.4), jitter(x + w - 0.4, y + h - 0.4)], width: width, tone: pen.tone)
            canvas.stroke([jitter(x + w - 0.4, y + 0.4), jitter(x + 0.4, y + h - 0.4)], width: width, tone: pen.tone)
        case 1:  // tick: short stroke down, long stroke up and out to the right
            let bottom = jitter(x + 0.4 * w, y + 0.85 * h, 0.3)
            canvas.stroke([jitter(x + 0.1 * w, y + 0.5 * h, 0.3), bottom, jitter(x + 1.05 * w, y - 0.1 * h)],
                          width: width, tone: pen.tone)
        default:  // filled: a dense zigzag until the box is dark
            var points: [(x: Double, y: Double)] = []
            let step = width * 0.7
            var row = y + 0.5
            var leftToRight = true
            while row < y + h - 0.4 {
                points.append(jitter(leftToRight ? x + 0.5 : x + w - 0.5, row, 0.2))
                leftToRight.toggle()
                row += step
            }
            canvas.stroke(points, width: width, tone: pen.tone)
        }
    }
}
