// Nearest-rank percentiles and the figures of one timed pass.
import Bench
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
}
