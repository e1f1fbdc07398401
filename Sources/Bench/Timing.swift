// Throughput figures of one timed pass over the files: pages per second from the wall clock,
// latency percentiles per page, and the mean time of each pipeline stage.
//
// Why nearest-rank percentiles: they are always a latency that was actually observed, and they
// are well defined for the small runs the tests use.

/// The nearest-rank percentile `p` (0–100) of `values`; 0 for no values.
public func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

public struct PassTiming: Sendable {
    public let threads: Int
    public let pages: Int
    public let seconds: Double
    public let p50: Double, p95: Double, p99: Double
    /// Stage name → mean ms over the pages that reached the stage, in pipeline order.
    public let stageMeans: [(stage: String, ms: Double)]

    public var pagesPerSecond: Double { seconds > 0 ? Double(pages) / seconds : 0 }

    /// `latencies` in ms per page; `stages` the reader's timings of each page.
    public init(threads: Int, seconds: Double, latencies: [Double], stages: [[(stage: String, ms: Double)]]) {
        self.threads = threads
        self.seconds = seconds
        pages = latencies.count
        (p50, p95, p99) = (percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99))
        var order: [String] = [], sums: [String: (total: Double, count: Int)] = [:]
        for page in stages {
            for (stage, ms) in page {
                if sums[stage] == nil { order.append(stage) }
                sums[stage, default: (0, 0)].total += ms
                sums[stage, default: (0, 0)].count += 1
            }
        }
        stageMeans = order.map { ($0, sums[$0]!.total / Double(sums[$0]!.count)) }
    }
}
