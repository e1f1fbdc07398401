// Watches the inbox by polling: an entry whose lstat (kind, size, mtime, inode) stayed the same
// for the settle time, and which nobody has open for writing, is claimed by renaming it into
// processing/. Every entry is claimed, whatever it is: a FIFO, a link, a folder or a socket is
// refused there without being opened and quarantined with a record, so nothing stays in the inbox
// unexplained. Only names starting with a dot are left alone: that is how copying tools hide a
// file they are still writing. The daemon's own folders are not entries.
//
// Why listing and claiming are separate steps: listing a big inbox costs a stat per file, so it
// runs once per poll interval, while a worker frees a slot every few tens of milliseconds. The
// daemon claims from the settled files of the last listing as soon as there is room, so the
// workers never wait for the next listing.
import FieldRules
import Foundation
import Logging
import SystemPackage

final class InboxScanner {
    private struct Seen { var signature: FileSignature; var since: Date }
    private var seen: [[UInt8]: Seen] = [:]
    /// Entries whose claim failed, with their signature then: tried again once they change (or at
    /// the next start), so a rename the file system refuses is logged once, not 8 times a second.
    private var refused: [[UInt8]: FileSignature] = [:]
    /// Names starting with a dot seen at the last listing, each logged once when it appears.
    private var hidden: Set<[UInt8]> = []
    /// Settled at the last listing and not claimed yet, the first name last.
    private var settled: [[UInt8]] = []
    private let layout: InboxLayout
    private let settle: TimeInterval
    private let logger: Logger
    private var listingFailed = false

    init(layout: InboxLayout, settleMilliseconds: Int, logger: Logger) {
        self.layout = layout
        self.settle = Double(settleMilliseconds) / 1000
        self.logger = logger
    }

    var hasSettledFiles: Bool { !settled.isEmpty }

    /// Lists the inbox: notes new and changed entries, and which have settled.
    func list() {
        let names: [[UInt8]]
        do {
            names = try layout.inbox.entries()
            listingFailed = false
        } catch {
            if !listingFailed { logger.error("cannot list the inbox", metadata: ["error": "\(error)"]) }
            listingFailed = true
            return
        }
        let now = Date()
        var present = Set<[UInt8]>()
        settled = []
        let dotted = Set(names.filter { $0.first == UInt8(ascii: ".") })
        for name in dotted.subtracting(hidden).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            logger.info("left alone until renamed: a name starting with a dot is a copy in progress",
                        metadata: ["file": "\(Personnummer.redacted(bytes: name))"])
        }
        hidden = dotted
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) })
        where name.first != UInt8(ascii: ".") && !InboxLayout.ownFolders.contains(name) {
            guard let signature = FileSignature.of(path(name)) else { continue }   // gone
            present.insert(name)
            if let failed = refused[name], failed == signature { continue }
            refused[name] = nil
            if let previous = seen[name], previous.signature == signature {
                if now.timeIntervalSince(previous.since) >= settle { settled.append(name) }
            } else {
                seen[name] = Seen(signature: signature, since: now)
            }
        }
        settled.reverse()
        for name in seen.keys where !present.contains(name) { seen[name] = nil }
        for name in refused.keys where !present.contains(name) { refused[name] = nil }
    }

    /// Claims up to `capacity` settled entries that are still as listed and not open for writing.
    func claim(capacity: Int, submit: (Job) -> Void) {
        var free = capacity
        while free > 0, let name = settled.popLast() {
            let path = path(name)
            // Changed or gone since the listing: the next listing decides.
            guard let known = seen[name], FileSignature.of(path) == known.signature else { continue }
            if known.signature.isRegular, FileSteps.isOpenForWriting(path) {
                seen[name] = Seen(signature: known.signature, since: Date())
                continue
            }
            let job = layout.claim(name)
            switch FileSteps.claim(path, job.path) {
            case .claimed:
                seen[name] = nil
                free -= 1
                submit(job)
            case .gone:
                seen[name] = nil   // another daemon took it
            case .failed(let code):
                seen[name] = nil
                refused[name] = known.signature
                logger.error("cannot claim; left in the inbox until it changes or the daemon restarts", metadata: [
                    "file": "\(job.originalName)", "errno": "\(code)", "error": "\(String(cString: strerror(code)))"])
            }
        }
    }

    private func path(_ name: [UInt8]) -> FilePath {
        layout.inbox.appending(FilePath(bytes: name).components)
    }
}
