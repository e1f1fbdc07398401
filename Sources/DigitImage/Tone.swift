// Pointwise tone curves on ink: pen pressure and edge crispness, and bilevel thresholding.
//
// Why: MNIST strokes are saturated with soft, wide edges (they were anti-aliased from bilevel
// scans), while real pens range from faint pencil to crisp black ballpoint, and some scanners
// or fax-like pipelines deliver pure black and white. A contrast gain around 0.5 sharpens the
// edge ramp of an enlarged MNIST stroke towards a pen's; a level below 1 makes it faint;
// thresholding makes it bilevel. The normaliser's area-averaging turns any of them back into
// an anti-aliased 28 x 28 digit, so the network learns they are the same digit.
enum Tone {
    /// ink -> level * clamp((ink - 0.5) * gain + 0.5) inside `region`; with gain >= 1 paper stays 0.
    static func pen(_ image: inout InkImage, region: PixelRect, gain: Float, level: Float) {
        let w = image.width
        guard !region.isEmpty else { return }
        image.ink.withUnsafeMutableBufferPointer { ink in
            for y in region.y0..<region.y1 {
                for x in region.x0..<region.x1 {
                    let v = ink[y * w + x]
                    ink[y * w + x] = level * min(max((v - 0.5) * gain + 0.5, 0), 1)
                }
            }
        }
    }

    /// Every pixel becomes 1 at or above `threshold` and 0 below.
    static func bilevel(_ image: inout InkImage, threshold: Float) {
        image.ink.withUnsafeMutableBufferPointer { ink in
            for i in ink.indices { ink[i] = ink[i] >= threshold ? 1 : 0 }
        }
    }
}
