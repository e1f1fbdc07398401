// A small page renderer for registration tests that do not depend on ../shared: filled
// rectangles in template millimetres, drawn anti-aliased (4 x 4 supersampling) through a known
// page placement, onto paper of a given tone, with optional noise.
import BlankettSupport
import Foundation
import PageImage

struct Placement {
    var dpi = 300.0
    var rotationDegrees = 0.0   // clockwise on screen
    var shiftMM = (x: 0.0, y: 0.0)
    var scale = (x: 1.0, y: 1.0)
    var upsideDown = false
    var mirrored = false
    var canvasMM = (width: 210.0, height: 297.0)  // the scanned area; the page sits in its middle

    /// Template mm to pixels: scale about the page centre, mirror, rotate, turn, shift.
    var transform: PageTransform {
        let ppm = dpi / 25.4
        let theta = (rotationDegrees + (upsideDown ? 180 : 0)) * .pi / 180
        let (co, si) = (cos(theta), sin(theta))
        let sx = scale.x * (mirrored ? -1 : 1) * ppm, sy = scale.y * ppm
        let (a, b, c, d) = (co * sx, -si * sy, si * sx, co * sy)
        let (w, h) = imageSize
        let (cu, cv) = (Double(w) / 2 + shiftMM.x * ppm, Double(h) / 2 + shiftMM.y * ppm)
        return PageTransform(a: a, b: b, c: c, d: d, tx: cu - a * 105 - b * 148.5, ty: cv - c * 105 - d * 148.5)
    }

    var imageSize: (Int, Int) {
        (Int((canvasMM.width * dpi / 25.4).rounded()), Int((canvasMM.height * dpi / 25.4).rounded()))
    }
}

struct Shape {
    var x: Double, y: Double, width: Double, height: Double  // mm
    var gray: Double = 0
    /// The ellipse inscribed in the rectangle instead (a punched hole).
    var round = false

    func covers(_ mx: Double, _ my: Double) -> Bool {
        guard round else { return mx >= x && mx < x + width && my >= y && my < y + height }
        let (u, v) = ((mx - x) / width * 2 - 1, (my - y) / height * 2 - 1)
        return u * u + v * v <= 1
    }
}

enum SyntheticPage {
    static let marks = [
        RegistrationMark(name: "TL", centerMM: (14, 14), sizeMM: 9),
        RegistrationMark(name: "TR", centerMM: (196, 14), sizeMM: 6),
        RegistrationMark(name: "BL", centerMM: (14, 283), sizeMM: 6),
        RegistrationMark(name: "BR", centerMM: (196, 283), sizeMM: 6),
    ]

    static func markShapes(hiding hidden: Set<String> = []) -> [Shape] {
        marks.filter { !hidden.contains($0.name) }.map {
            Shape(x: $0.centerMM.x - $0.sizeMM / 2, y: $0.centerMM.y - $0.sizeMM / 2, width: $0.sizeMM, height: $0.sizeMM)
        }
    }

    /// Lines of glyph-like strokes (and a grey comb), spread over the page including its corners.
    static func textShapes(seed: UInt64) -> [Shape] {
        var rng = SeededGenerator(seed: seed)
        var shapes: [Shape] = []
        for line in stride(from: 8.0, to: 290, by: 14) {
            var x = 6.0
            while x < 200 {
                let h = 2.5 + Double(rng.unit())
                // Forms keep a clear margin around their marks.
                if marks.contains(where: { abs($0.centerMM.x - x) < $0.sizeMM / 2 + 4 && abs($0.centerMM.y - line - 1.5) < $0.sizeMM / 2 + 4 }) {
                    x += 2.2
                    continue
                }
                shapes.append(Shape(x: x, y: line, width: 0.35, height: h))  // stem
                shapes.append(Shape(x: x, y: line + Double(rng.unit()) * h, width: 1.6, height: 0.35))  // bar
                if rng.unit() < 0.5 { shapes.append(Shape(x: x + 1.4, y: line, width: 0.35, height: h)) }
                x += 2.2 + (rng.unit() < 0.15 ? 2.5 : 0)
            }
        }
        for i in 0..<8 {
            let x = 24 + 7 * Double(i)
            shapes += [Shape(x: x, y: 70, width: 7, height: 0.25, gray: 110), Shape(x: x, y: 79, width: 7, height: 0.25, gray: 110),
                       Shape(x: x, y: 70, width: 0.25, height: 9, gray: 110)]
        }
        return shapes
    }

    /// A block of distinct tones and strokes for comparing crops of differently placed pages.
    static let pattern: [Shape] = [
        Shape(x: 60, y: 100, width: 30, height: 2, gray: 0),
        Shape(x: 60, y: 104, width: 2, height: 14, gray: 40),
        Shape(x: 70, y: 106, width: 12, height: 10, gray: 110),
        Shape(x: 84, y: 103, width: 4, height: 4, gray: 180),
    ]

    /// `blurPasses` [1 2 1]/4 passes each way approximate a Gaussian of sigma sqrt(passes / 2) px.
    /// `background`: the scanner's backing around the sheet, if it is not white.
    static func render(_ shapes: [Shape], placement: Placement, paper: Double = 255, ink: Double = 0,
                       background: UInt8? = nil, blurPasses: Int = 0, noise: Float = 0, seed: UInt64 = 1) -> GrayImage {
        let (w, h) = placement.imageSize
        var page = [UInt8](repeating: UInt8(paper), count: w * h)
        let t = placement.transform
        let det = t.a * t.d - t.b * t.c
        // Inverse map, pixel -> mm.
        let (ia, ib, ic, id) = (t.d / det, -t.b / det, -t.c / det, t.a / det)
        if let background {
            for y in 0..<h {
                for x in 0..<w {
                    let u = Double(x) + 0.5 - t.tx, v = Double(y) + 0.5 - t.ty
                    let mx = ia * u + ib * v, my = ic * u + id * v
                    if mx < 0 || my < 0 || mx > 210 || my > 297 { page[y * w + x] = background }
                }
            }
        }
        for shape in shapes {
            let tone = ink + (paper - ink) * shape.gray / 255
            let corners = [(shape.x, shape.y), (shape.x + shape.width, shape.y), (shape.x, shape.y + shape.height),
                           (shape.x + shape.width, shape.y + shape.height)].map { t.pixel(x: $0.0, y: $0.1) }
            let x0 = max(0, Int(corners.map(\.x).min()!.rounded(.down)) - 1), x1 = min(w, Int(corners.map(\.x).max()!) + 2)
            let y0 = max(0, Int(corners.map(\.y).min()!.rounded(.down)) - 1), y1 = min(h, Int(corners.map(\.y).max()!) + 2)
            guard x0 < x1, y0 < y1 else { continue }
            for py in y0..<y1 {
                for px in x0..<x1 {
                    var covered = 0
                    for sy in 0..<4 {
                        for sx in 0..<4 {
                            let u = Double(px) + (Double(sx) + 0.5) / 4 - t.tx, v = Double(py) + (Double(sy) + 0.5) / 4 - t.ty
                            let mx = ia * u + ib * v, my = ic * u + id * v
                            if shape.covers(mx, my) { covered += 1 }
                        }
                    }
                    if covered > 0 {
                        let f = Double(covered) / 16, old = Double(page[py * w + px])
                        page[py * w + px] = UInt8((old * (1 - f) + min(tone, old) * f).rounded())
                    }
                }
            }
        }
        for _ in 0..<blurPasses {
            for (step, count, lines, stride) in [(1, w, h, w), (w, h, w, 1)] {
                for line in 0..<lines {
                    let base = line * stride
                    var previous = page[base]
                    for k in 0..<count - 1 {
                        let i = base + k * step, current = page[i]
                        page[i] = UInt8((Int(previous) + 2 * Int(current) + Int(page[i + step]) + 2) / 4)
                        previous = current
                    }
                }
            }
        }
        if noise > 0 {
            var rng = SeededGenerator(seed: seed)
            for i in page.indices { page[i] = UInt8(min(max((Float(page[i]) + noise * rng.gaussian()).rounded(), 0), 255)) }
        }
        return GrayImage(width: w, height: h, pixels: page)
    }
}
