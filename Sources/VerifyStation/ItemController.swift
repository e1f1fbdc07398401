// One form being settled: its page, its pictures, the lease the open page renews, the live checks,
// and the clerk's three ways out — settle (Enter), skip (Esc), return to the applicant (F8). Every
// route needs the clerk to hold the item's lease; pictures of an item that is not theirs are 404,
// so ids cannot be probed for content.
import BlankettSupport
import FieldRules
import Foundation
import Hummingbird
import Verification
import WorkQueue

struct ItemController {
    let station: Station

    func addRoutes(to group: RouterGroup<ClerkContext>) {
        group.get("/:id") { _, context in try await self.page(context) }
        group.get("/:id/pictures/:name") { _, context in try await self.picture(context) }
        group.post("/:id/renew") { _, context in try await self.renew(context) }
        group.post("/:id/check") { request, context in try await self.check(request, context) }
        group.post("/:id/settle") { request, context in try await self.settle(request, context) }
        group.post("/:id/skip") { _, context in try await self.skip(context) }
        group.post("/:id/return") { request, context in try await self.giveBack(request, context) }
    }

    private func id(_ context: ClerkContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else { throw HTTPError(.notFound, message: "No such item.") }
        return id
    }

    private func review(_ item: QueueItem) throws -> ReviewForm {
        do { return try ReviewForm(content: try item.content(), template: station.template) } catch {
            throw HTTPError(.internalServerError, message: "Item \(item.id) holds no reading this station can show.")
        }
    }

    private func page(_ context: ClerkContext) async throws -> Response {
        let item = try await station.held(try id(context), by: context.clerk)
        return try await render(item, context)
    }

    private func render(_ item: QueueItem, _ context: ClerkContext, problems: [String: [String]] = [:],
                        message: Pages.Message? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = item.id
        let pictures = try await station.call { Set(try $0.attachments(id).keys) }
        let values = ItemView.values(id: id, form: try review(item), pictures: pictures, problems: problems,
                                     renewSeconds: max(1, station.settings.leaseSeconds / 3))
        return Pages.page("item", title: "Item \(id)", values: values, clerk: context.clerk, csrf: context.csrf,
                          message: message, status: status)
    }

    private func picture(_ context: ClerkContext) async throws -> Response {
        let id = try id(context), name = context.parameters.get("name") ?? ""
        let png: [UInt8]
        do {
            _ = try await station.held(id, by: context.clerk)
            guard let found = try await station.call({ try $0.attachments(id)[name] }) else { throw HTTPError(.notFound) }
            png = found
        } catch is HTTPError {
            throw HTTPError(.notFound, message: "No such picture.")
        }
        return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }

    private func renew(_ context: ClerkContext) async throws -> Response {
        let id = try id(context), clerk = context.clerk, lease = station.settings.leaseSeconds
        let item = try await station.call { try $0.renew(id, worker: clerk, leaseSeconds: lease) }
        return json(["lease_expires_at": item.leaseExpiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""])
    }

    /// The field rules, run by FieldRules here, for the page's script.
    private func check(_ request: Request, _ context: ClerkContext) async throws -> Response {
        let body = try await FormBody.values(of: request, limit: context.maxUploadSize)
        let item = try await station.held(try id(context), by: context.clerk)
        let outcome = station.check.check(body["field"] ?? "", keyed: body["value"] ?? "", form: try review(item), today: station.today)
        func list(_ errors: [BlankettError]) -> [[String: String]] { errors.map { ["code": $0.code, "message": $0.message] } }
        return json(["valid": outcome.isValid, "problems": list(outcome.problems), "warnings": list(outcome.warnings)])
    }

    private func settle(_ request: Request, _ context: ClerkContext) async throws -> Response {
        let body = try await FormBody.values(of: request, limit: context.maxUploadSize)
        let id = try id(context), clerk = context.clerk
        let current = try await station.call { try $0.show(id) }
        // A double submit or a reload of a form this clerk settled: one application, go on.
        if current.queue == .verification, current.status == .successful, current.worker == clerk {
            return try await station.openNext(context)
        }
        let item = try station.requireHeld(current, by: clerk)
        let form = try review(item)
        let keystrokes = Self.keystrokes(body["keystrokes"])
        let submission = Submission(values: Dictionary(uniqueKeysWithValues: body.compactMap { key, value in
            key.hasPrefix("f.") ? (String(key.dropFirst(2)), value) : nil
        }), keystrokes: keystrokes)
        let trail = try await station.call { try $0.audit(id) }
        let decision = Review.decide(submission, form: form, check: station.check, clerk: clerk,
                                     earlier: Self.keyings(trail), today: station.today)
        switch decision {
        case .invalid(let problems):
            return try await render(item, context, problems: problems.mapValues { $0.map(\.message) },
                                    message: .init(text: "Some values break the form's rules; see each field.", kind: "error"),
                                    status: .unprocessableContent)
        case .disagreement(let keyed):
            let record = try AuditRecord(actor: clerk, event: "disagreement", detail: ["keyed": keyed, "keystrokes": keystrokes])
            try await station.call { try $0.record(id, record) }
            context.logger.info("keying disagreed", metadata: ["item": "\(id)", "fields": "\(keyed.keys.sorted())"])
            let names = keyed.keys.sorted().joined(separator: ", ")
            return try await render(item, context, message: .init(
                text: "Your keying of \(names) agrees with no other reading of it. Look at the picture again and key it anew.",
                kind: "disagreement"))
        case .secondOperator(let keyed):
            let record = try AuditRecord(actor: clerk, event: "second_operator", detail: ["keyed": keyed, "keystrokes": keystrokes])
            _ = try await station.call { try $0.handToAnotherOperator(id, record) }
            context.logger.info("handed to a second operator", metadata: ["item": "\(id)", "clerk": "\(clerk)"])
            return .redirect(to: "/?handed=\(id)")
        case .settle(let values, let confirmations):
            let content = try JSONSerialization.data(withJSONObject: Review.settledContent(
                try item.content(), form: form, values: values, clerk: clerk, at: station.settings.clock()))
            let machine = Dictionary(uniqueKeysWithValues: form.fields.map { ($0.name, $0.value ?? "") })
            let record = try AuditRecord(actor: clerk, event: "settled", detail: ["keyed": submission.values, "values": values, "machine": machine,
                                                               "confirmations": confirmations, "keystrokes": keystrokes])
            let settlement = try await station.call { try $0.settle(id, application: content, record) }
            context.logger.info("settled", metadata: ["item": "\(id)", "clerk": "\(clerk)", "result": "\(settlement)"])
            return try await station.openNext(context)
        }
    }

    private func skip(_ context: ClerkContext) async throws -> Response {
        let id = try id(context), clerk = context.clerk
        let record = try AuditRecord(actor: clerk, event: "skipped", detail: [:])
        _ = try await station.call { try $0.release(id, record) }
        context.skip(id)
        return try await station.openNext(context)
    }

    private func giveBack(_ request: Request, _ context: ClerkContext) async throws -> Response {
        let body = try await FormBody.values(of: request, limit: context.maxUploadSize)
        let id = try id(context), clerk = context.clerk
        guard let reason = body["reason"].flatMap(ReturnReason.init(rawValue:)) else {
            throw HTTPError(.unprocessableContent, message: "Choose one of the reasons for returning the form.")
        }
        let record = try AuditRecord(actor: clerk, event: "returned", detail: ["reason": reason.rawValue, "keystrokes": Self.keystrokes(body["keystrokes"])])
        _ = try await station.call { try $0.returnToApplicant(id, reason: reason.rawValue, record) }
        context.logger.info("returned to the applicant", metadata: ["item": "\(id)", "reason": "\(reason.rawValue)"])
        return try await station.openNext(context)
    }

    /// The blind keyings in the audit trail, which a later clerk's keying may agree with.
    static func keyings(_ trail: [AuditEntry]) -> [Keying] {
        trail.filter { $0.event == "disagreement" || $0.event == "second_operator" }.flatMap { entry -> [Keying] in
            let keyed = (try? entry.details())?["keyed"] as? [String: String] ?? [:]
            return keyed.map { Keying(clerk: entry.actor, field: $0.key, value: $0.value) }
        }
    }

    static func keystrokes(_ text: String?) -> [String: Int] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    private func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
