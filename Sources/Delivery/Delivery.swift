// From a read result to the RPA work queue: accepted forms to `applications`, forms a person
// must see to `verification` with pictures of the doubtful fields, rejected files to nobody's
// queue (the caller quarantines them). The item's reference is the scan's sha256, so delivering
// the same file twice is a no-op, which is what makes a crashed and restarted intake safe.
import BlankettSupport
import FormReader
import Foundation
import PageImage
import WorkQueue

public enum Delivery {
    /// The attachment holding the whole page; the others are named after their field.
    public static let pageAttachment = "page"

    public enum Outcome: Equatable, Sendable {
        case queued(QueueName, Int64)
        case alreadyQueued(QueueName, Int64)
        case rejected(code: String, message: String)
    }

    /// What the robot needs to act, and what an auditor needs to trust it. `source_file` is the
    /// name the scan arrived under, as shown (masked); `archive_file` where the daemon keeps it.
    public static func content(_ result: ReadResult, engineVersion: String, modelSHA256: String,
                               archiveFile: String? = nil) -> [String: Any] {
        var content = result.json
        content["source_file"] = result.file
        content["archive_file"] = archiveFile
        content["engine_version"] = engineVersion
        content["model_sha256"] = modelSHA256
        content["timings_ms"] = nil
        return content
    }

    public static func deliver(_ result: ReadResult, to store: any QueueStore, engineVersion: String,
                               modelSHA256: String, archiveFile: String? = nil) throws -> Outcome {
        let queue: QueueName
        switch result.status {
        case .rejected:
            let error = result.error ?? BlankettError("rejected", "rejected")
            return .rejected(code: error.code, message: error.message)
        case .accepted: queue = .applications
        case .needsVerification: queue = .verification
        }
        guard let sha256 = result.sha256 else { throw BlankettError("delivery_invalid", "\(result.file): no sha256 to reference it by") }
        var attachments: [String: [UInt8]] = [:]
        if queue == .verification {
            for (name, crop) in result.fieldCrops { attachments[name] = try PNGCodec.encode(crop, fast: true) }
            if let page = result.pageCrop { attachments[pageAttachment] = try PNGCodec.encode(page, fast: true) }
        }
        let item = try NewQueueItem(queue: queue, reference: try QueueReference(sha256: sha256),
                                    content: content(result, engineVersion: engineVersion, modelSHA256: modelSHA256,
                                                     archiveFile: archiveFile))
        switch try store.insert(item, attachments: attachments) {
        case .queued(let id): return .queued(queue, id)
        case .alreadyQueued(let id): return .alreadyQueued(queue, id)
        }
    }
}
