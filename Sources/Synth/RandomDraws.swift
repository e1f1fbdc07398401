// The few kinds of random draw the generator makes, written out on top of SeededGenerator.
//
// Why not the standard library's `Int.random(in:using:)` and friends: their algorithms are not
// promised to stay the same across Swift versions, and a synthetic set must come out byte for
// byte the same from the same seed wherever it is regenerated.
import BlankettSupport

extension SeededGenerator {
    /// 0 ..< n; the modulo bias of a 64-bit draw is far below anything a picture shows.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    mutating func chance(_ p: Double) -> Bool { Double(unit()) < p }

    mutating func between(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(unit())
    }

    /// A normal draw clamped to ±`limit` standard deviations, so no draw lands absurdly far out.
    mutating func normal(_ sigma: Double, limit: Double = 2.5) -> Double {
        sigma * min(max(Double(gaussian()), -limit), limit)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func digits(_ count: Int) -> [Int] { (0..<count).map { _ in below(10) } }
}

/// Values recorded in the truth are rounded first and the page is drawn with the rounded value,
/// so the truth file describes the scan exactly and stays short.
func rounded(_ value: Double, _ places: Int) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (value * scale).rounded() / scale
}
