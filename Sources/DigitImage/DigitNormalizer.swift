// The one normalisation shared by training and reading: any ink image in, a 28 x 28 MNIST-style
// digit out (ink high, longer side of the bounding box 20 px, centre of mass at pixel (14, 14),
// peak ink 1). The trainer feeds it augmented cell crops and the form reader feeds it real ones,
// so the network never sees a difference that only one side's preprocessing would introduce.
//
// Steps, and why:
//  a. Find the 8-connected components of ink at 0.15 that reach 0.35 somewhere (hysteresis, as
//     Canny's edge linking), and keep those that are the digit (FragmentFilter): the crop carries
//     dust and cell-line remnants that would otherwise stretch the bounding box. The low level
//     keeps a faint pencil or ballpoint stroke whole where the scan thinned it between darker
//     parts: at 0.35 alone it fell apart into pieces, and the pieces read as another digit.
//  b. Crop to the kept components, taking grey values of their pixels plus a 1-px fringe and
//     nothing else: the fringe keeps the soft stroke edge that the threshold cut off (MNIST has
//     it), while the rest of the crop, paper noise included, becomes clean zero.
//  c+d. Scale the longer side to 20 px (box filter down, bilinear up) and place the centre of
//     mass at (14, 14), in one resampling pass with a sub-pixel offset, clamped to stay inside:
//     this is how MNIST itself was made, and one pass blurs less than scale-then-shift.
//  e. Stretch so the darkest pixel is 1: pencil and faint pens must look like MNIST's ink.
// An MNIST digit comes back nearly unchanged: its box is already 20 px, so only the sub-pixel
// re-centring resamples it.
public enum DigitNormalizer {
    public static let side = 28
    public static let box = 20
    /// Ink at or above this is stroke when looking for the digit; below it, paper and fringe.
    public static let threshold: Float = 0.35
    /// Fainter ink still belongs to a stroke when it joins ink at `threshold`.
    public static let reach: Float = 0.15

    /// 784 values in [0, 1], row-major 28 x 28, or nil when the image holds no digit.
    /// - Parameter cell: where the writing cell lies in the image (pixels, end exclusive), when
    ///   known. Pieces of ink centred outside it are a neighbour's digit spilling over the shared
    ///   line, and are dropped. Training crops hold no neighbours and pass nil.
    public static func normalize(_ image: InkImage, cell: (x0: Int, y0: Int, x1: Int, y1: Int)? = nil) -> [Float]? {
        let found = InkComponents(image, threshold: reach, strong: threshold)
        var keep = FragmentFilter.digitComponents(found, in: image, threshold: threshold, cell: cell)
        if let cell {
            for (i, c) in found.components.enumerated() {
                let cx = (c.minX + c.maxX + 1) / 2, cy = (c.minY + c.maxY + 1) / 2
                if cx < cell.x0 || cx >= cell.x1 || cy < cell.y0 || cy >= cell.y1 { keep[i] = false }
            }
        }
        guard let (crop, centreX, centreY) = digitCrop(image, found, keep) else { return nil }

        let scale = Float(box) / Float(max(crop.width, crop.height))
        // Continuous coordinates: the centre of pixel 14 is at 14.5.
        let centre = Float(side / 2) + 0.5
        let ox = min(max(centre - scale * centreX, 0), Float(side) - scale * Float(crop.width))
        let oy = min(max(centre - scale * centreY, 0), Float(side) - scale * Float(crop.height))
        var out = Resample.place(crop, scale: scale, originX: ox, originY: oy, side: side)

        guard let peak = out.max(), peak > 0 else { return nil }
        for i in out.indices { out[i] /= peak }
        return out
    }

    /// The kept components' grey values with a 1-px fringe, cropped to where that is non-zero,
    /// and their centre of mass in the crop's continuous coordinates.
    private static func digitCrop(_ image: InkImage, _ found: InkComponents,
                                  _ keep: [Bool]) -> (InkImage, Float, Float)? {
        let w = image.width, h = image.height
        var box: PixelRect?
        for (c, kept) in zip(found.components, keep) where kept {
            let b = PixelRect(x0: c.minX, y0: c.minY, x1: c.maxX + 1, y1: c.maxY + 1)
            box = box.map { PixelRect(x0: min($0.x0, b.x0), y0: min($0.y0, b.y0),
                                      x1: max($0.x1, b.x1), y1: max($0.y1, b.y1)) } ?? b
        }
        guard let region = box?.grown(by: 1, within: w, h) else { return nil }

        // Kept-pixel mask over the region with a paper border, dilated by one pixel (3 x 3,
        // separably: the row pass into `wide`, the column pass on the fly), then the grey values
        // under it. Per column: whether it has ink, its mass and its y-moment, which give the
        // tight box and the centre of mass. All branch-free, so the compiler can vectorise it.
        let rw = region.x1 - region.x0, rh = region.y1 - region.y0, pw = rw + 2
        let total = pw * (rh + 2)
        let mask = UnsafeMutablePointer<UInt8>.allocate(capacity: total)
        let wide = UnsafeMutablePointer<UInt8>.allocate(capacity: total)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: rw * rh)
        let columnInk = UnsafeMutablePointer<UInt8>.allocate(capacity: rw)
        let columnMass = UnsafeMutablePointer<Float>.allocate(capacity: rw)
        let columnMoment = UnsafeMutablePointer<Float>.allocate(capacity: rw)
        defer {
            mask.deallocate(); wide.deallocate(); values.deallocate()
            columnInk.deallocate(); columnMass.deallocate(); columnMoment.deallocate()
        }
        mask.initialize(repeating: 0, count: total)
        wide.initialize(repeating: 0, count: total)
        columnInk.initialize(repeating: 0, count: rw)
        columnMass.initialize(repeating: 0, count: rw)
        columnMoment.initialize(repeating: 0, count: rw)
        found.pixels.withUnsafeBufferPointer { pixels in
            for (c, kept) in zip(found.components, keep) where kept {
                for p in pixels[c.first ..< c.first + c.area] {
                    mask[(Int(p) / w - region.y0 + 1) * pw + Int(p) % w - region.x0 + 1] = 1
                }
            }
        }
        // Wraps across row ends only in the border columns, which are never read.
        for i in 1..<(total - 1) { wide[i] = mask[i - 1] | mask[i] | mask[i + 1] }
        var top = rh, bottom = 0
        image.ink.withUnsafeBufferPointer { ink in
            for y in 0..<rh {
                let src = ink.baseAddress! + (y + region.y0) * w + region.x0
                let above = wide + y * pw + 1, here = above + pw, below = here + pw
                let out = values + y * rw
                var rowInk: UInt8 = 0
                for x in 0..<rw {
                    let v = (above[x] | here[x] | below[x]) != 0 ? src[x] : 0
                    out[x] = v
                    let on: UInt8 = v > 0 ? 1 : 0
                    rowInk |= on
                    columnInk[x] |= on
                    columnMass[x] += v
                    columnMoment[x] += v * Float(y)
                }
                if rowInk != 0 { top = min(top, y); bottom = y + 1 }
            }
        }
        var tight = PixelRect(x0: rw, y0: top, x1: 0, y1: bottom)
        var mass: Float = 0, mx: Float = 0, my: Float = 0
        for x in 0..<rw where columnInk[x] != 0 {
            tight.x0 = min(tight.x0, x); tight.x1 = x + 1
            mass += columnMass[x]; mx += columnMass[x] * Float(x); my += columnMoment[x]
        }
        let tw = tight.x1 - tight.x0, th = tight.y1 - tight.y0
        var cropped = [Float](repeating: 0, count: tw * th)
        for y in 0..<th {
            for x in 0..<tw { cropped[y * tw + x] = values[(y + tight.y0) * rw + x + tight.x0] }
        }
        return (InkImage(width: tw, height: th, ink: cropped),
                mx / mass + 0.5 - Float(tight.x0), my / mass + 0.5 - Float(tight.y0))
    }
}
