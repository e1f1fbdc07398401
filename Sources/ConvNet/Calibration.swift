// Temperature scaling (Guo et al., 2017): one scalar T divides the logits so that the softmax
// confidence matches the observed accuracy. It is fitted on held-out data by minimising the
// negative log-likelihood; argmax, hence accuracy, is unchanged. The form reader's accept/verify
// decision multiplies these probabilities, so their calibration is what makes it safe.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Calibration {
    /// Mean negative log-likelihood of the labels at temperature t.
    public static func nll(logits: [Float], labels: [Int], classes: Int, temperature t: Float) -> Double {
        var total = 0.0
        for (r, label) in labels.enumerated() {
            let z = logits[(r * classes)..<(r * classes + classes)]
            let top = z.max()!
            let logSum = log(z.reduce(0.0) { $0 + exp(Double(($1 - top) / t)) })
            total += logSum - Double((z[z.startIndex + label] - top) / t)
        }
        return total / Double(max(labels.count, 1))
    }

    /// T in [0.25, 8] minimising the NLL, by golden-section search on log T (the NLL is unimodal in T).
    public static func fitTemperature(logits: [Float], labels: [Int], classes: Int) -> Float {
        var lo = log(0.25), hi = log(8.0)
        let g = (sqrt(5.0) - 1) / 2
        func f(_ x: Double) -> Double { nll(logits: logits, labels: labels, classes: classes, temperature: Float(exp(x))) }
        var a = hi - g * (hi - lo), b = lo + g * (hi - lo)
        var fa = f(a), fb = f(b)
        for _ in 0..<40 {
            if fa < fb { hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = f(a) }
            else { lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = f(b) }
        }
        return Float(exp((lo + hi) / 2))
    }

    public struct Bin: Sendable { public let count: Int; public let confidence: Double; public let accuracy: Double }

    /// Expected calibration error over equal-width confidence bins of the top class, and the bins.
    public static func expectedCalibrationError(probabilities: [Float], labels: [Int], classes: Int, bins: Int = 15)
        -> (ece: Double, bins: [Bin]) {
        var count = [Int](repeating: 0, count: bins), conf = [Double](repeating: 0, count: bins)
        var hits = [Double](repeating: 0, count: bins)
        for (r, label) in labels.enumerated() {
            let p = probabilities[(r * classes)..<(r * classes + classes)]
            let top = p.indices.max { p[$0] < p[$1] }!
            let b = min(bins - 1, Int(Double(p[top]) * Double(bins)))
            count[b] += 1; conf[b] += Double(p[top]); hits[b] += top - r * classes == label ? 1 : 0
        }
        let n = Double(max(labels.count, 1))
        var ece = 0.0
        var out: [Bin] = []
        for b in 0..<bins {
            guard count[b] > 0 else { out.append(Bin(count: 0, confidence: 0, accuracy: 0)); continue }
            let c = conf[b] / Double(count[b]), a = hits[b] / Double(count[b])
            ece += Double(count[b]) / n * abs(c - a)
            out.append(Bin(count: count[b], confidence: c, accuracy: a))
        }
        return (ece, out)
    }
}
