// `blankett queue bench`: the queue's own figures (benchmarks/queue.sh runs it against SQLite and
// PostgreSQL side by side): deliveries/s and claims/s, claim and delivery latency, the longest
// stall (the recovery time when the server is restarted during the run).
import ArgumentParser
import Bench
import Foundation
import QueueStores
import WorkQueue

struct QueueBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load an EMPTY store: stations deliver items while robots claim and complete them; prints the figures.",
        discussion: """
            Each station and robot is a thread with a store of its own (its own connection). Every fifth item goes to verification with a 2 KB crop. Errors are counted by code and retried after 50 ms, so a server restarted during the run shows as the longest stall. A store that holds any item is refused: the run completes what it claims.
            """)
    @Option(help: "The queue to load, which must hold no item: \(StoreHelp.kinds).") var store: String
    @Option(parsing: .unconditional, help: "Delivering threads, 1 to 64.") var stations = 1
    @Option(parsing: .unconditional, help: "Claiming threads, 1 to 64.") var robots = 4
    @Option(parsing: .unconditional, help: "Items delivered in all, 1 to 1,000,000.") var items = 2_000
    @Option(help: "Also write the figures as one JSON object to this file.") var json: String?

    func validate() throws {
        try OptionRange.check(stations, 1...64, "--stations")
        try OptionRange.check(robots, 1...64, "--robots")
        try OptionRange.check(items, 1...1_000_000, "--items")
    }

    func run() throws {
        let url = try StoreURL(store)
        let f = try QueueLoad.run(QueueLoadSettings(stations: stations, robots: robots, items: items)) { try url.open() }
        let object: [String: Any] = [
            "store": url.description, "stations": stations, "robots": robots, "items": items,
            "deliveries_per_s": f.deliveriesPerSecond, "claims_per_s": f.claimsPerSecond,
            "claim_ms_p50": f.claimMilliseconds.p50, "claim_ms_p99": f.claimMilliseconds.p99,
            "delivery_ms_p50": f.deliveryMilliseconds.p50, "delivery_ms_p99": f.deliveryMilliseconds.p99,
            "longest_stall_s": f.longestStallSeconds, "lost_claims": f.lostClaims, "errors": f.errors, "seconds": f.seconds,
        ]
        if let json {
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
        }
        func n(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        let errors = f.errors.isEmpty ? "none" : f.errors.map { "\($0)=\($1)" }.sorted().joined(separator: ",")
        print("\(url): \(stations) stations, \(robots) robots, \(items) items: \(n(f.deliveriesPerSecond)) deliveries/s, "
              + "\(n(f.claimsPerSecond)) claims/s; claim p50 \(n(f.claimMilliseconds.p50, 2)) ms, p99 \(n(f.claimMilliseconds.p99, 2)) ms; "
              + "delivery p50 \(n(f.deliveryMilliseconds.p50, 2)) ms, p99 \(n(f.deliveryMilliseconds.p99, 2)) ms; "
              + "longest stall \(n(f.longestStallSeconds, 2)) s; \(f.lostClaims) lost claims; errors \(errors)")
    }
}
