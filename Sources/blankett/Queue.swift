import ArgumentParser
import BlankettSupport
import Foundation
import QueueStores
import WorkQueue

struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The work queue, for the robot's side and for operators.",
        discussion: """
            Items follow the RPA convention: New → InProgress (claimed by `next`, with a lease) → Successful, Failed (retried up to 3 times when the failure is not a business one) or Abandoned (lease ran out; a clerk's verification item goes back to New instead), or Returned (a clerk sent the form back to the applicant); `retry` puts an Abandoned or Failed item back to New. The queue 'applications' holds accepted forms, 'verification' the forms a person must decide. `show`, `next` and `export` print the read fields, personnummer included: they are for the robot and for people entitled to see it. `list`, `show` and `export` only read: the store must exist, and they need no write access to it.
            """,
        subcommands: [List.self, Show.self, Next.self, Complete.self, Fail.self, Retry.self, Export.self, QueueBench.self]
    )

    struct Store: ParsableArguments {
        @Option(help: "The queue: \(StoreHelp.kinds).") var store = "sqlite:./blankett-queue.sqlite"
        /// A queue command acts on items, so a missing store (a mistyped path) is an error, never
        /// a new empty one: it is first opened read-only, which refuses what does not exist.
        func open() throws -> any QueueStore {
            _ = try openReadOnly()
            return try StoreURL(store).open()
        }
        /// For the commands that only look: never written, so no write access is needed.
        func openReadOnly() throws -> any QueueStore { try StoreURL(store).open(options: QueueOptions(readOnly: true)) }
    }

    struct ItemID: ParsableArguments {
        @Argument(help: "Item id.") var id: Int64
        func validate() throws {
            guard id > 0 else { throw ValidationError("an item id is a positive number, not \(id)") }
        }
    }

    static func printJSON(_ item: QueueItem) throws {
        var object: [String: Any] = [
            "id": item.id, "queue": item.queue.rawValue, "reference": item.reference.sha256, "status": item.status.rawValue,
            "priority": item.priority, "retry_count": item.retryCount, "created_at": ISO8601DateFormatter().string(from: item.createdAt),
            "specific_content": try item.content(),
        ]
        object["last_error"] = item.lastError
        object["worker"] = item.worker
        object["not_for"] = item.notFor
        object["output"] = try item.output.map { try JSONSerialization.jsonObject(with: $0) }
        object["lease_expires_at"] = item.leaseExpiresAt.map { ISO8601DateFormatter().string(from: $0) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Items, oldest first (no field values).")
        @OptionGroup var store: Store
        @Option(help: "The queue (default: all).") var queue: QueueName?
        @Option(help: "Only items of this status (default: all).") var status: ItemStatus?
        @Option(parsing: .unconditional, help: "At most this many, 1 to \(Self.maxLimit).") var limit = 100

        static let maxLimit = 1_000_000

        func validate() throws {
            try OptionRange.check(limit, 1...Self.maxLimit, "--limit")
        }

        func run() throws {
            let items = try store.openReadOnly().list(queue: queue, status: status, limit: limit)
            print("id\tqueue\tstatus\tretries\tcreated\treference")
            for i in items {
                print("\(i.id)\t\(i.queue.rawValue)\t\(i.status.rawValue)\t\(i.retryCount)\t\(ISO8601DateFormatter().string(from: i.createdAt))\t\(i.reference.sha256.prefix(16))…")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One item as JSON, with its attachments' names and, for a verification item, its audit trail.")
        @OptionGroup var store: Store
        @OptionGroup var item: ItemID
        func run() throws {
            let s = try store.openReadOnly()
            try Queue.printJSON(try s.show(item.id))
            let names = try s.attachments(item.id).keys.sorted()
            if !names.isEmpty { print("attachments: " + names.joined(separator: ", ")) }
            // The verification station's decisions: who, when, the keyed values, the disagreements, the keystrokes.
            if let s = s as? any VerificationStore {
                let trail = try s.audit(item.id)
                if !trail.isEmpty { print("audit:") }
                for entry in trail {
                    let line: [String: Any] = ["at": ISO8601DateFormatter().string(from: entry.at), "operator": entry.actor,
                                               "event": entry.event, "detail": try entry.details()]
                    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
                    print("  " + String(decoding: data, as: UTF8.self))
                }
            }
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claim the oldest New item of a queue (atomically: two robots never get the same one); prints it as JSON, or null when there is none.")
        @OptionGroup var store: Store
        @Option(help: "The queue.") var queue = QueueName.applications
        @Option(parsing: .unconditional, help: "Seconds before an unfinished claim is abandoned, 1 to \(Self.maxLease) (30 days).")
        var lease = 300
        @Option(help: "Who claims it, recorded on the item.") var worker = ProcessInfo.processInfo.hostName

        static let maxLease = 30 * 24 * 3600

        func validate() throws {
            try OptionRange.check(lease, 1...Self.maxLease, "--lease", unit: " seconds")
        }

        func run() throws {
            if let item = try store.open().next(queue: queue, leaseSeconds: lease, worker: worker) {
                try Queue.printJSON(item)
            } else {
                print("null")
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed item Successful.")
        @OptionGroup var store: Store
        @OptionGroup var item: ItemID
        @Option(help: "Output to record, a JSON object.") var output: String?
        func run() throws {
            print(try store.open().complete(item.id, output: output.map { Data($0.utf8) }))
        }
    }

    struct Fail: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed item failed; an application failure is retried, a business failure is final.")
        @OptionGroup var store: Store
        @OptionGroup var item: ItemID
        @Option(help: "What went wrong (do not put personal data here).") var error: String
        @Flag(help: "A business failure (the data itself is wrong): not retried.") var business = false
        func run() throws {
            print(try store.open().fail(item.id, error: error, kind: business ? .business : .application))
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put an Abandoned or Failed item back to New, once a person has checked what the robot left undone.")
        @OptionGroup var store: Store
        @OptionGroup var item: ItemID
        func run() throws {
            print(try store.open().retry(item.id))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every item, as JSON lines or CSV, on standard output.")
        @OptionGroup var store: Store
        @Option(help: "The queue (default: all).") var queue: QueueName?
        @Option(help: "The format.") var format = ExportFormat.jsonl
        func run() throws {
            try store.openReadOnly().export(queue: queue, format: format, to: .standardOutput)
        }
    }
}

extension QueueName: ExpressibleByArgument {}
extension ItemStatus: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
