// How many readers to build. Each holds its own network workspaces and Tesseract (about 200 MB),
// and reading is CPU-bound on one BLAS thread, so readers beyond the cores only cost memory.
import ArgumentParser
import Foundation

enum WorkerCount {
    static let limit = 1_000_000

    static func validate(_ workers: Int) throws {
        guard (1...limit).contains(workers) else {
            throw ValidationError("--workers must be from 1 to \(limit), not \(workers)")
        }
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
