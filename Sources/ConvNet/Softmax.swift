// Softmax with temperature, and the cross-entropy gradient that training starts backward from.
// Max-subtraction keeps exp() finite for any logits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Softmax {
    public static func apply(_ logits: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int,
                             classes: Int, temperature: Float = 1) {
        for r in 0..<rows {
            let z = logits + r * classes, p = out + r * classes
            var top = -Float.infinity
            for c in 0..<classes { top = max(top, z[c]) }
            var sum: Float = 0
            for c in 0..<classes { p[c] = expf((z[c] - top) / temperature); sum += p[c] }
            for c in 0..<classes { p[c] /= sum }
        }
    }

    /// `logits.count / classes` rows of probabilities.
    public static func probabilities(_ logits: [Float], classes: Int, temperature: Float) -> [Float] {
        var out = [Float](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { z in
            out.withUnsafeMutableBufferPointer { p in
                guard let z = z.baseAddress, let p = p.baseAddress else { return }
                apply(z, p, rows: logits.count / classes, classes: classes, temperature: temperature)
            }
        }
        return out
    }

    /// Writes ∂L/∂logits of the mean cross-entropy over `scale` samples (the whole batch, even
    /// when this call sees one shard of it) and returns this shard's summed loss and hits.
    static func crossEntropyGradient(_ logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int,
                                     classes: Int, scale: Int, into gradient: UnsafeMutablePointer<Float>)
        -> (loss: Double, correct: Int) {
        apply(logits, gradient, rows: rows, classes: classes)
        var loss = 0.0, correct = 0
        for r in 0..<rows {
            let p = gradient + r * classes, label = Int(labels[r])
            var best = 0
            for c in 1..<classes where p[c] > p[best] { best = c }
            if best == label { correct += 1 }
            loss -= Double(logf(max(p[label], 1e-12)))
            p[label] -= 1
            for c in 0..<classes { p[c] /= Float(scale) }
        }
        return (loss, correct)
    }
}
