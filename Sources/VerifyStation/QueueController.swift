// The list page (what waits, by reason) and Next, which claims the oldest form through the
// queue's own `next` with a lease, passing over what this clerk skipped and what waits for a
// second operator other than them.
import Foundation
import Hummingbird
import WorkQueue

struct QueueController {
    let station: Station

    func addRoutes(to group: RouterGroup<ClerkContext>) {
        group.get("/") { request, context in try await self.list(request, context) }
        group.post("/next") { _, context in try await self.station.openNext(context) }
    }

    private func list(_ request: Request, _ context: ClerkContext) async throws -> Response {
        let clerk = context.clerk
        let (waiting, inProgress) = try await station.call { store in
            (try store.list(queue: .verification, status: .new, limit: Int.max),
             try store.list(queue: .verification, status: .inProgress, limit: Int.max))
        }
        var byReason: [String: Int] = [:]
        for item in waiting {
            let reasons = (try? item.content())?["reasons"] as? [String] ?? []
            for reason in Set(reasons.isEmpty ? ["(none)"] : reasons) { byReason[reason, default: 0] += 1 }
        }
        var values: [String: Any] = [
            "reasons": byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["reason": $0.key, "count": $0.value] },
            "waiting": waiting.count, "inProgress": inProgress.count,
            "reserved": waiting.filter { $0.notFor == clerk }.count,
        ]
        if let held = inProgress.first(where: { $0.worker == clerk }) { values["held"] = ["id": held.id] }
        let done = request.uri.queryParameters["done"] != nil
        return Pages.page("list", title: "Forms waiting", values: values, clerk: clerk, csrf: context.csrf,
                          message: done ? .init(text: "No form is waiting for you.", kind: "info") : nil)
    }
}
