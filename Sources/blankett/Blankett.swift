import ArgumentParser
import BlankettSupport
import FieldRules
import Foundation

@main
struct Blankett: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "blankett",
        abstract: "Reads handwritten paper forms (PM 7001, premium pension application) from scanned PNG files.",
        discussion: """
            Digits are read by a small convolutional network trained on MNIST by `blankett train` and shipped in Models/. Every personnummer is masked in output meant for people and logs.
            """,
        version: version,
        subcommands: [Read.self, Queue.self, Verify.self, Synth.self, Train.self, Committee.self, Digits.self, Bench.self, Watch.self, Status.self]
    )

    /// Every error leaves through here, masked and escaped: messages quote the paths and values
    /// that were typed, and an operator may have named a file after the applicant.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }
            let message: String
            if let error = error as? BlankettError {
                message = "Error: \(error.code): \(Personnummer.redacted(error.message))"
            } else {
                // ArgumentParser's own messages end with the usage, over several lines; the message
                // itself, which may quote a typed value with a newline in it, is escaped whole.
                let text = self.message(for: error)
                message = fullMessage(for: error).replacingOccurrences(of: text, with: Personnummer.redacted(text))
                    .split(separator: "\n", omittingEmptySubsequences: false)
                    .map { Personnummer.redacted(String($0)) }.joined(separator: "\n")
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(withError: ExitCode(code.rawValue))
        }
    }
}
