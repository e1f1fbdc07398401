import ArgumentParser
import BlankettSupport
import Foundation
import WorkQueue

struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The work queue, for the robot's side and for operators.",
        discussion: """
            Items follow the RPA convention: New → InProgress (claimed by `next`, with a lease) → Successful, Failed (retried up to 3 times when the failure is not a business one) or Abandoned (lease ran out). The queue 'applications' holds accepted forms, 'verification' the forms a person must decide. `show`, `next` and `export` print the read fields, personnummer included: they are for the robot and for people entitled to see it.
            """,
        subcommands: [List.self, Show.self, Next.self, Complete.self, Fail.self, Export.self]
    )

    struct Store: ParsableArguments {
        @Option(help: "sqlite:PATH or outbox:DIR.") var store = "sqlite:./blankett-queue.sqlite"
        func open() throws -> any QueueStore { try StoreURL(store).open() }
    }

    static func queueName(_ text: String?) throws -> QueueName? {
        guard let text else { return nil }
        guard let name = QueueName(rawValue: text) else {
            throw ValidationError("--queue must be one of \(QueueName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return name
    }

    static func printJSON(_ item: QueueItem) throws {
        var object: [String: Any] = [
            "id": item.id, "queue": item.queue.rawValue, "reference": item.reference.sha256, "status": item.status.rawValue,
            "priority": item.priority, "retry_count": item.retryCount, "created_at": ISO8601DateFormatter().string(from: item.createdAt),
            "specific_content": try item.content(),
        ]
        object["last_error"] = item.lastError
        object["lease_expires_at"] = item.leaseExpiresAt.map { ISO8601DateFormatter().string(from: $0) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Items, oldest first (no field values).")
        @OptionGroup var store: Store
        @Option(help: "applications or verification (default: all).") var queue: String?
        @Option(help: "New, InProgress, Successful, Failed or Abandoned.") var status: String?
        @Option(help: "At most this many.") var limit = 100

        func run() throws {
            let status = try self.status.map { text -> ItemStatus in
                guard let s = ItemStatus(rawValue: text) else { throw ValidationError("unknown --status '\(text)'") }
                return s
            }
            let items = try store.open().list(queue: try Queue.queueName(queue), status: status, limit: limit)
            print("id\tqueue\tstatus\tretries\tcreated\treference")
            for i in items {
                print("\(i.id)\t\(i.queue.rawValue)\t\(i.status.rawValue)\t\(i.retryCount)\t\(ISO8601DateFormatter().string(from: i.createdAt))\t\(i.reference.sha256.prefix(16))…")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One item as JSON, with its attachments' names.")
        @OptionGroup var store: Store
        @Argument(help: "Item id.") var id: Int64
        func run() throws {
            let s = try store.open()
            try Queue.printJSON(try s.show(id))
            let names = try s.attachments(id).keys.sorted()
            if !names.isEmpty { print("attachments: " + names.joined(separator: ", ")) }
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claim the oldest New item of a queue (atomically: two robots never get the same one); prints it as JSON, or null when there is none.")
        @OptionGroup var store: Store
        @Option(help: "applications or verification.") var queue = "applications"
        @Option(help: "Seconds before an unfinished claim is abandoned.") var lease = 300
        @Option(help: "Who claims it, recorded on the item.") var worker = ProcessInfo.processInfo.hostName
        func run() throws {
            guard let name = try Queue.queueName(queue) else { return }
            if let item = try store.open().next(queue: name, leaseSeconds: lease, worker: worker) {
                try Queue.printJSON(item)
            } else {
                print("null")
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed item Successful.")
        @OptionGroup var store: Store
        @Argument(help: "Item id.") var id: Int64
        @Option(help: "Output to record, a JSON object.") var output: String?
        func run() throws {
            print(try store.open().complete(id, output: output.map { Data($0.utf8) }))
        }
    }

    struct Fail: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a claimed item failed; an application failure is retried, a business failure is final.")
        @OptionGroup var store: Store
        @Argument(help: "Item id.") var id: Int64
        @Option(help: "What went wrong (do not put personal data here).") var error: String
        @Flag(help: "A business failure (the data itself is wrong): not retried.") var business = false
        func run() throws {
            print(try store.open().fail(id, error: error, kind: business ? .business : .application))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every item, as JSON lines or CSV, on standard output.")
        @OptionGroup var store: Store
        @Option(help: "applications or verification (default: all).") var queue: String?
        @Option(help: "jsonl or csv.") var format = "jsonl"
        func run() throws {
            guard let f = ExportFormat(rawValue: format) else { throw ValidationError("--format must be jsonl or csv") }
            try store.open().export(queue: try Queue.queueName(queue), format: f, to: .standardOutput)
        }
    }
}
