// The machine a run was measured on and the process's memory high-water mark, from /proc
// (Linux): throughput figures mean nothing without the CPU, the core count and how busy the
// machine was, and a recorded result must say so.
import Foundation

public struct Machine: Sendable {
    public let cores: Int
    public let cpu: String
    public let date: String
    /// /proc/loadavg's 1-minute figure when the run started: other work sharing the cores.
    public let loadAverage: Double?

    public static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) }
        return Machine(cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model ?? "unknown",
                       date: ISO8601DateFormatter().string(from: Date()), loadAverage: loadAverage())
    }

    /// The 1-minute load average from /proc/loadavg.
    public static func loadAverage() -> Double? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
    }

    /// Peak resident set size of this process in MB (VmHWM), nil where /proc is missing.
    public static func peakRSSMegabytes() -> Double? {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kB = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kB / 1024
    }

    /// Starts the high-water mark afresh (Linux ≥ 4.0), so that it covers only what follows,
    /// e.g. reading without the synthesis before it. False when the kernel refused.
    @discardableResult
    public static func resetPeakRSS() -> Bool {
        FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs")
            && (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }
}
