// Gaussian blur, separable (a 1-D kernel along rows, then along columns), inside a rectangle.
//
// Why: scanners and their JPEG stage soften edges, and a slightly out-of-focus or low-dpi scan
// turns a crisp stroke into a ramp several pixels wide. Separable because a 2-D Gaussian
// factors exactly, which makes it 2(2r+1) instead of (2r+1)^2 multiplies per pixel. Both
// passes read from a zero-bordered copy so the tap loop has fixed bounds.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

enum Blur {
    /// Blurs the ink in `region` (which must hold all of it) with standard deviation `sigma` px.
    static func gaussian(_ image: inout InkImage, region: PixelRect, sigma: Float) {
        let r = Int((2.5 * sigma).rounded(.up))
        guard sigma > 0.05, !region.isEmpty else { return }
        let kernel = (-r...r).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        let k = kernel.map { $0 / total }
        // The output rectangle: the ink's, grown by the kernel's reach.
        let out = region.grown(by: r, within: image.width, image.height)
        let w = image.width, ow = out.x1 - out.x0, oh = out.y1 - out.y0
        // Source with r columns/rows of paper around the output rectangle.
        let bw = ow + 2 * r, bh = oh + 2 * r
        let source = UnsafeMutablePointer<Float>.allocate(capacity: bw * bh)
        let across = UnsafeMutablePointer<Float>.allocate(capacity: ow * bh)
        defer { source.deallocate(); across.deallocate() }
        source.initialize(repeating: 0, count: bw * bh)
        image.ink.withUnsafeMutableBufferPointer { ink in
            for y in 0..<oh {
                for x in 0..<ow { source[(y + r) * bw + x + r] = ink[(y + out.y0) * w + x + out.x0] }
            }
            k.withUnsafeBufferPointer { k in
                for y in 0..<bh {
                    let row = source + y * bw, dst = across + y * ow
                    for x in 0..<ow {
                        var sum: Float = 0
                        for t in 0...(2 * r) { sum += k[t] * row[x + t] }
                        dst[x] = sum
                    }
                }
                for y in 0..<oh {
                    let dst = ink.baseAddress! + (y + out.y0) * w + out.x0
                    for x in 0..<ow { dst[x] = 0 }
                    for t in 0...(2 * r) {
                        let src = across + (y + t) * ow, kt = k[t]
                        for x in 0..<ow { dst[x] += kt * src[x] }
                    }
                }
            }
        }
    }
}
