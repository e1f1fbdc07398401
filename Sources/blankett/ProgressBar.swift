// A progress line on standard error: redrawn in place on a terminal, a plain line every few
// percent otherwise (CI logs, pipes), so long runs show life either way without flooding a log.
import DigitTraining
import FieldRules
import Foundation

final class ProgressBar {
    let total: Int
    private let label: String
    private let start = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPrinted = -1

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    func update(_ done: Int, _ detail: String) {
        let percent = done * 100 / total
        let elapsed = (ContinuousClock.now - start).seconds
        let remaining = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        if isTerminal {
            let width = 24, filled = width * done / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write("\r\(label) \(bar) \(percent)% \(detail) · \(Self.clock(elapsed)) elapsed, \(Self.clock(remaining)) left\u{1B}[K".data(using: .utf8)!)
            if done >= total { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        } else if percent / 5 != lastPrinted / 5 || done >= total {
            lastPrinted = percent
            FileHandle.standardError.write("\(label) \(percent)% \(detail) · \(Self.clock(elapsed)) elapsed, \(Self.clock(remaining)) left\n".data(using: .utf8)!)
        }
    }

    /// Prints a library run's events: notes as lines, each stage as a bar of its own.
    static func printer() -> (RunEvent) -> Void {
        var bar: ProgressBar?
        return { event in
            switch event {
            case .note(let text): printError(text)
            case .stage(let label, let total): bar = ProgressBar(total: total, label: label)
            case .step(let done, let detail): bar?.update(done, detail)
            }
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Progress and notes on stderr; they name paths, so they are masked like every error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("\(Personnummer.redacted(message))\n".utf8))
}
