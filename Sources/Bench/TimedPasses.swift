// Timed passes over a benchmark's files: every file's work timed on its own, on K workers that
// take the next file as they finish one, with the results handed back in file order.
//
// Why alternating blocks for a ratio: on a shared machine the speed drifts by 10 % within
// minutes (other tenants, clock changes), and two passes run one after the other put that drift
// into their ratio (two runs of the same code 20 minutes apart gave 1.27 and 1.41). Timing both
// kinds of work in alternating blocks of `interleave` files, a few seconds each, lets them share it.
import BlankettSupport
import Foundation

public enum TimedPasses {
    /// One file's result and how long its work took.
    public typealias Timed<T> = (value: T, ms: Double)
    /// A pass's summed wall time and its results in file order.
    public typealias Pass<T> = (seconds: Double, results: [Timed<T>])

    /// Files per block of `alternating`: a few seconds of work on one thread.
    public static let interleave = 50

    /// Times `first(worker, file)` and `second(worker, file)` over every file on `threads`
    /// workers, in alternating blocks of `interleave` files. `progress(done, total)` counts both
    /// passes' files (2 × count) from 0, called one at a time.
    public static func alternating<A, B>(_ count: Int, threads: Int, progress: @escaping (Int, Int) -> Void,
                                         _ first: @Sendable (Int, Int) -> A, _ second: @Sendable (Int, Int) -> B)
        -> (first: Pass<A>, second: Pass<B>) {
        let steps = Steps(total: 2 * count, progress)
        let a = WorkerSlots<Timed<A>>(count: count), b = WorkerSlots<Timed<B>>(count: count)
        var seconds = (first: 0.0, second: 0.0)
        for start in stride(from: 0, to: count, by: interleave) {
            let block = start..<min(start + interleave, count)
            seconds.first += timed(block, threads: threads, into: a, steps: steps, first)
            seconds.second += timed(block, threads: threads, into: b, steps: steps, second)
        }
        return ((seconds.first, a.values), (seconds.second, b.values))
    }

    /// Times `work(worker, file)` over every file on `threads` workers in one pass.
    public static func pass<T>(_ count: Int, threads: Int, progress: @escaping (Int, Int) -> Void,
                               _ work: @Sendable (Int, Int) -> T) -> Pass<T> {
        let slots = WorkerSlots<Timed<T>>(count: count)
        let seconds = timed(0..<count, threads: threads, into: slots, steps: Steps(total: count, progress), work)
        return (seconds, slots.values)
    }

    /// The files of `block` on `threads` workers; returns the wall time.
    private static func timed<T>(_ block: Range<Int>, threads: Int, into slots: WorkerSlots<Timed<T>>, steps: Steps,
                                 _ work: @Sendable (Int, Int) -> T) -> Double {
        let next = IndexDealer()
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: threads) { w in
            while let k = next.take(below: block.count) {
                let i = block.lowerBound + k
                let t0 = ContinuousClock.now
                let value = work(w, i)
                slots.set(i, (value, (ContinuousClock.now - t0).milliseconds))
                steps.step()
            }
        }
        return (ContinuousClock.now - start).seconds
    }
}

/// Counts finished files and reports them one at a time, whichever worker finished.
private final class Steps: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let report: (Int, Int) -> Void
    private var done = 0

    /// Reports (0, total) at once, so that a progress bar starts with the pass.
    init(total: Int, _ report: @escaping (Int, Int) -> Void) {
        (self.total, self.report) = (total, report)
        report(0, total)
    }

    func step() { lock.withLock { done += 1; report(done, total) } }
}
