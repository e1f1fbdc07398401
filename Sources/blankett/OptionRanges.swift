// The ranges of the numeric options. Every one is checked in validate(), before anything is
// built from it: a count becomes an allocation or a thread, a time a Duration, and an unchecked
// conversion of an absurd value traps. Numeric options are parsed unconditionally, so that "-1" is
// a value validate() can refuse by name rather than an unknown option ("Missing value").
import ArgumentParser
import Foundation

enum OptionRange {
    static let threads = 1...256
    static let pages = 0...1_000_000

    static func check<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ option: String, unit: String = "") throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound)\(unit), not \(value)")
        }
    }
}

// How many readers to build. Each holds its own network workspaces and Tesseract (about 200 MB),
// and reading is CPU-bound on one BLAS thread, so readers beyond the cores only cost memory.
enum WorkerCount {
    static let limit = 1_000_000

    static func validate(_ workers: Int) throws {
        try OptionRange.check(workers, 1...limit, "--workers")
    }

    /// At most one reader per core and per job; says so on stderr when that is fewer than asked.
    static func effective(_ workers: Int, jobs: Int = .max) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let count = max(1, min(workers, cores, jobs))
        if count < min(workers, jobs) {
            printError("--workers \(workers): using \(count), one per core; more readers would not read faster")
        }
        return count
    }
}
