// Watches the inbox by polling: a regular file whose size, mtime and inode stayed the same for the
// settle time and that nobody has open for writing is claimed by renaming it into processing/.
//
// Why listing and claiming are separate steps: listing a big inbox costs a stat per file, so it
// runs once per poll interval, while a worker frees a slot every few tens of milliseconds. The
// daemon claims from the settled files of the last listing as soon as there is room, so the
// workers never wait for the next listing.
import FieldRules
import Foundation
import Logging

final class InboxScanner {
    private struct Seen { var signature: FileSignature; var since: Date }
    private var seen: [String: Seen] = [:]
    /// Settled at the last listing and not claimed yet, the first name last.
    private var settled: [String] = []
    private let layout: InboxLayout
    private let settle: TimeInterval
    private let logger: Logger

    init(layout: InboxLayout, settleMilliseconds: Int, logger: Logger) {
        self.layout = layout
        self.settle = Double(settleMilliseconds) / 1000
        self.logger = logger
    }

    var hasSettledFiles: Bool { !settled.isEmpty }

    /// Lists the inbox: notes new and changed files, and which have settled.
    func list() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.inbox) else { return }
        let now = Date()
        var present = Set<String>()
        settled = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let signature = FileSignature.of(layout.inbox + "/" + name) else { continue }   // folders, links, gone
            present.insert(name)
            if let previous = seen[name], previous.signature == signature {
                if now.timeIntervalSince(previous.since) >= settle { settled.append(name) }
            } else {
                seen[name] = Seen(signature: signature, since: now)
            }
        }
        settled.reverse()
        for name in seen.keys where !present.contains(name) { seen[name] = nil }
    }

    /// Claims up to `capacity` settled files that are still as listed and not open for writing.
    func claim(capacity: Int, submit: (Job) -> Void) {
        var free = capacity
        while free > 0, let name = settled.popLast() {
            let path = layout.inbox + "/" + name
            // Changed or gone since the listing: the next listing decides.
            guard let known = seen[name], FileSignature.of(path) == known.signature else { continue }
            if FileSteps.isOpenForWriting(path) {
                seen[name] = Seen(signature: known.signature, since: Date())
                continue
            }
            let claimed = layout.claimedPath(for: name)
            switch FileSteps.claim(path, claimed) {
            case .claimed:
                seen[name] = nil
                free -= 1
                submit(Job(path: claimed, originalName: name))
            case .gone:
                seen[name] = nil   // another daemon took it
            case .failed(let code):
                logger.error("cannot claim", metadata: ["file": "\(Personnummer.redacted(name))", "errno": "\(code)"])
            }
        }
    }
}
