// Where the page lies on the scanner glass: the affine map from page millimetres to
// millimetres of the scan frame (origin top-left, y down), and its inverse.
//
// The page is turned 180° if fed upside down, then scaled, sheared and rotated about its centre,
// then shifted. The renderer uses the inverse (every scan pixel looks up its page point); the
// settings use the forward map to keep the registration marks inside the frame where a shift
// can, and to record which marks the scan shows.
import Foundation

struct ScanGeometry {
    let pageW: Double, pageH: Double
    let upsideDown: Bool
    let shift: (x: Double, y: Double)
    // q − c − shift = M · (p' − c), M = R(rotation) · [[1, tan shear], [0, 1]] · scale
    let a: Double, b: Double, c: Double, d: Double

    init(pageW: Double, pageH: Double, rotationDeg: Double, shearDeg: Double, scale: Double,
         shift: (x: Double, y: Double), upsideDown: Bool) {
        self.pageW = pageW
        self.pageH = pageH
        self.upsideDown = upsideDown
        self.shift = shift
        let theta = rotationDeg * .pi / 180, k = tan(shearDeg * .pi / 180)
        let (co, si) = (cos(theta), sin(theta))
        (a, b, c, d) = (co * scale, (co * k - si) * scale, si * scale, (si * k + co) * scale)
    }

    func forward(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let (px, py) = upsideDown ? (pageW - x, pageH - y) : (x, y)
        let (dx, dy) = (px - pageW / 2, py - pageH / 2)
        return (a * dx + b * dy + pageW / 2 + shift.x, c * dx + d * dy + pageH / 2 + shift.y)
    }

    func inverse(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let (qx, qy) = (x - pageW / 2 - shift.x, y - pageH / 2 - shift.y)
        let det = a * d - b * c
        let (px, py) = ((d * qx - b * qy) / det + pageW / 2, (-c * qx + a * qy) / det + pageH / 2)
        return upsideDown ? (pageW - px, pageH - py) : (px, py)
    }

    /// The corners of a square of side `size` (plus `margin` all round) centred at (x, y) mm.
    func corners(_ x: Double, _ y: Double, size: Double, margin: Double) -> [(x: Double, y: Double)] {
        let h = size / 2 + margin
        return [(-h, -h), (h, -h), (-h, h), (h, h)].map { forward(x + $0.0, y + $0.1) }
    }
}
