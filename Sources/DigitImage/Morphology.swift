// Grey-level dilation and erosion with a 3 x 3 square (max / min over the neighbourhood), done
// separably as a 3-wide pass along rows then along columns, blended with the original.
//
// Why: pens differ. A felt tip draws strokes a pixel or two wider than a fine ballpoint, and
// MNIST's stroke width is only one pen. Taking the max (min) over 3 x 3 thickens (thins)
// every stroke by one pixel on each side; blending by a fraction gives sub-pixel changes, so
// the strength knob can scale the effect smoothly. Grey, not binary, so the anti-aliased
// edge survives.
enum Morphology {
    /// Thickens (`dilate` true) or thins strokes inside `region` by `amount` (0...1) of a pixel.
    static func adjustStrokes(_ image: inout InkImage, region: PixelRect, dilate: Bool, amount: Float) {
        let r = region.grown(by: 1, within: image.width, image.height)
        guard !r.isEmpty else { return }
        let w = image.width, rw = r.x1 - r.x0, rh = r.y1 - r.y0
        let pick: (Float, Float) -> Float = dilate ? { max($0, $1) } : { min($0, $1) }
        var across = [Float](repeating: 0, count: rw * rh)
        image.ink.withUnsafeMutableBufferPointer { ink in
            across.withUnsafeMutableBufferPointer { across in
                for y in 0..<rh {
                    let row = (y + r.y0) * w + r.x0
                    for x in 0..<rw {
                        var m = ink[row + x]
                        if x > 0 { m = pick(m, ink[row + x - 1]) }
                        if x + 1 < rw { m = pick(m, ink[row + x + 1]) }
                        across[y * rw + x] = m
                    }
                }
                for y in 0..<rh {
                    let row = (y + r.y0) * w + r.x0
                    for x in 0..<rw {
                        var m = across[y * rw + x]
                        if y > 0 { m = pick(m, across[(y - 1) * rw + x]) }
                        if y + 1 < rh { m = pick(m, across[(y + 1) * rw + x]) }
                        ink[row + x] += amount * (m - ink[row + x])
                    }
                }
            }
        }
    }
}
