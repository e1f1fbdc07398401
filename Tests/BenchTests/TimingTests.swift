// Nearest-rank percentiles, the figures of one timed pass, and the passes themselves.
import Bench
import Foundation
import XCTest

final class TimingTests: XCTestCase {
    func testNearestRankPercentiles() {
        let values = (1...100).map(Double.init).shuffled()
        XCTAssertEqual(percentile(values, 50), 50)
        XCTAssertEqual(percentile(values, 95), 95)
        XCTAssertEqual(percentile(values, 99), 99)
        XCTAssertEqual(percentile(values, 100), 100)
        XCTAssertEqual(percentile([7, 3, 5], 50), 5)
        XCTAssertEqual(percentile([4], 99), 4)
        XCTAssertEqual(percentile([], 50), 0)
    }

    func testPassTimingAveragesStagesOverThePagesThatReachedThem() {
        let stages: [[(stage: String, ms: Double)]] = [[("decode", 10), ("register", 4)], [("decode", 20)], [("decode", 30), ("register", 8)]]
        let pass = PassTiming(threads: 2, seconds: 0.5, latencies: [15, 20, 40], stages: stages)
        XCTAssertEqual(pass.pages, 3)
        XCTAssertEqual(pass.pagesPerSecond, 6, accuracy: 1e-12)
        XCTAssertEqual(pass.p50, 20)
        XCTAssertEqual(pass.p99, 40)
        XCTAssertEqual(pass.stageMeans.map(\.stage), ["decode", "register"])
        XCTAssertEqual(pass.stageMeans.map(\.ms), [20, 6])
    }

    /// Both kinds of work see every file once, in alternating blocks, and come back in file order
    /// whichever of the workers did them; the progress counts both passes to the end.
    func testAlternatingPassesTakeBlocksInTurnAndKeepFileOrder() {
        let count = TimedPasses.interleave * 2 + 7
        let log = Log()
        var steps: [Int] = []
        let (first, second) = TimedPasses.alternating(count, threads: 2, progress: { done, total in
            XCTAssertEqual(total, 2 * count)
            steps.append(done)
        }, { _, i in log.add("a", i); return i * 10 }, { _, i in log.add("b", i); return -i })
        XCTAssertEqual(first.results.map(\.value), (0..<count).map { $0 * 10 })
        XCTAssertEqual(second.results.map(\.value), (0..<count).map { -$0 })
        XCTAssertTrue(first.results.allSatisfy { $0.ms >= 0 } && first.seconds > 0 && second.seconds > 0)
        XCTAssertEqual(steps, Array(0...(2 * count)))
        // Block k of the first kind ends before block k of the second starts, and that before block k + 1.
        let blocks = log.entries.map { "\($0.kind)\($0.file / TimedPasses.interleave)" }
        XCTAssertEqual(blocks.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }, ["a0", "b0", "a1", "b1", "a2", "b2"])
    }

    func testOnePassOnMoreWorkersThanFilesDoesEachFileOnce() {
        let log = Log()
        let pass = TimedPasses.pass(3, threads: 4, progress: { _, _ in }) { _, i in log.add("p", i); return i }
        XCTAssertEqual(pass.results.map(\.value), [0, 1, 2])
        XCTAssertEqual(log.entries.map(\.file).sorted(), [0, 1, 2])
    }
}

private final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(kind: String, file: Int)] = []
    func add(_ kind: String, _ file: Int) { lock.withLock { list.append((kind, file)) } }
    var entries: [(kind: String, file: Int)] { lock.withLock { list } }
}
