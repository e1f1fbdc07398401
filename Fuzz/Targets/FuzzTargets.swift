// The fuzz targets by name: the harness (Fuzz/Harness, one libFuzzer binary) runs the one
// BLANKETT_FUZZ_TARGET names, and the corpus tests replay Fuzz/Corpus/<name>/ through the same one.
public enum FuzzTargets {
    public static let all: [String: @Sendable ([UInt8]) throws -> Void] = [
        "reader": ReaderTarget.run,
        "template": TemplateTarget.run,
        "queue-item": QueueItemTarget.run,
        "outbox": OutboxTarget.run,
        "register": RegisterTarget.run,
    ]
}
