import ArgumentParser

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
        subcommands: [Read.self, Queue.self, Synth.self, Train.self, Committee.self, Digits.self, Bench.self, Watch.self, Status.self]
    )
}
