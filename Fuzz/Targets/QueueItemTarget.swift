// A queue item's JSON from outside the process: the content a producer hands to the queue, the
// output a robot hands back, and an item's line as an outbox file holds it (robots may write or
// damage those). The content's canonical form must be a fixed point, and the line, whatever it
// holds, goes through the outbox's steps (OutboxTarget.exercise) with the bytes as the robot's output.
import BlankettSupport
import Foundation
import WorkQueue

public enum QueueItemTarget {
    public static func run(_ bytes: [UInt8]) throws {
        let reference = try QueueReference(sha256: OutboxTarget.reference)
        if let item = try unlessRefused("NewQueueItem", { try NewQueueItem(queue: .applications, reference: reference, specificContent: Data(bytes)) }) {
            let again = try NewQueueItem(queue: .applications, reference: reference, specificContent: item.specificContent)
            guard again.specificContent == item.specificContent else {
                throw FuzzFailure("the canonical form of a content object changes when canonicalised again")
            }
        }
        let directory = try Scratch.emptyFolder("outbox")
        try FileManager.default.createDirectory(atPath: "\(directory)/applications", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(directory)/applications/\(OutboxTarget.reference).json", contents: Data(bytes))
        try OutboxTarget.exercise(directory, output: Data(bytes))
    }
}
