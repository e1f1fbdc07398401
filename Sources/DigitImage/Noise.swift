// Paper noise: a grey paper tone plus Gaussian grain over the whole crop, and dust specks.
//
// Why: real crops are never clean zero around the digit. Grain and tone teach the network
// nothing by themselves (the normaliser zeroes everything away from the strokes), but they
// move the thresholded stroke edge and roughen the fringe the normaliser keeps, exactly as a
// scan does. Specks are what the normaliser's speck rule exists for; training must see them.
// The grain is a sum of four uniform bytes (Irwin-Hall), close enough to Gaussian for grain,
// at half a random draw per pixel instead of a log and a cos.

import BlankettSupport

enum Noise {
    /// Adds `tone` and grain of standard deviation `sigma` to every pixel, clamped to [0, 1].
    static func paper(_ image: inout InkImage, tone: Float, sigma: Float, using rng: inout SeededGenerator) {
        // Four bytes per pixel, two pixels per draw: each byte is uniform with variance
        // 256^2 / 12, so the sum has standard deviation 256 / sqrt(3), mean 510.
        let unit = sigma * (3 as Float).squareRoot() / 256
        @inline(__always) func grain(_ r: UInt64) -> Float {
            let pairs = (r & 0x00FF_00FF) &+ ((r >> 8) & 0x00FF_00FF)
            return unit * (Float((pairs & 0xFFFF) &+ ((pairs >> 16) & 0xFFFF)) - 510)
        }
        image.ink.withUnsafeMutableBufferPointer { ink in
            for i in stride(from: 0, to: ink.count, by: 2) {
                let r = rng.next()
                ink[i] = min(max(ink[i] + tone + grain(r), 0), 1)
                if i + 1 < ink.count { ink[i + 1] = min(max(ink[i + 1] + tone + grain(r >> 32), 0), 1) }
            }
        }
    }

    /// `count` round dust specks of radius `radius` px (each scaled by 0.5...1) and ink 0.4...1.
    static func specks(_ image: inout InkImage, count: Int, radius: Float, using rng: inout SeededGenerator) {
        for _ in 0..<count {
            let cx = rng.uniform(0, Float(image.width)), cy = rng.uniform(0, Float(image.height))
            let r = radius * rng.uniform(0.5, 1), level = rng.uniform(0.4, 1)
            let reach = Int(r.rounded(.up)) + 1
            for y in max(0, Int(cy) - reach)...min(image.height - 1, Int(cy) + reach) {
                for x in max(0, Int(cx) - reach)...min(image.width - 1, Int(cx) + reach) {
                    let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                    // Coverage falls off linearly over the pixel straddling the rim.
                    let cover = min(max(r + 0.5 - (dx * dx + dy * dy).squareRoot(), 0), 1)
                    image[x, y] = max(image[x, y], level * cover)
                }
            }
        }
    }
}
