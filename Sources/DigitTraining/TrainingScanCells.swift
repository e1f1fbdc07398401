// The cells of synthetic scans written with MNIST training digits, as `blankett train` learns and
// calibrates on them and `blankett ensemble` re-makes them from a member's manifest: both must
// make them alike, or the committee's temperature is fitted on cells its members have seen.
import ScanCells
import Synth

extension ScanCells {
    /// None for 0 pages.
    static func training(pages: Int, seed: UInt64, digits: Range<Int>, writers: Writers, label: String, data: DigitData,
                         threads: Int, progress: (RunEvent) -> Void) throws -> ScanCells {
        guard pages > 0 else { return ScanCells() }
        let hands = writers == .mnist ? "" : " (\(writers.rawValue) writers)"
        progress(.note("\(label): \(pages) synthetic scans written with MNIST training digits \(digits.lowerBound) to \(digits.upperBound - 1)\(hands), seed \(seed)"))
        progress(.stage(label, total: pages))
        let cells = try make(pages: pages, seed: seed, digits: .train(digits), writers: writers, mnistDirectory: data.mnist,
                             templatePath: data.template, threads: threads) { done, _ in
            progress(.step(done, detail: ""))
        }
        progress(.note("\(label): \(cells.count) cells, \(cells.missed) written cells without ink found, \(cells.unregistered) pages not registered"))
        return cells
    }
}
