// Fills the templates: each page is rendered into the layout, with the session's CSRF token in
// every form. Nothing here decides anything; the controllers hand over what to show.
import Foundation
import Hummingbird
import Mustache

enum Pages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", Templates.layout), ("login", Templates.login), ("list", Templates.list),
                             ("item", Templates.item), ("error", Templates.error)] {
            // The templates are constants of this file's module: a parse error is a bug, caught by every test.
            try! library.register(text, named: name)
        }
        return library
    }()

    struct Message {
        let text: String
        let kind: String
    }

    static func page(_ template: String, title: String, values: [String: Any], clerk: String?, csrf: String,
                     message: Message? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var values = values
        values["csrf"] = csrf
        let body = library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "body": body, "csrf": csrf, "page": template]
        layout["clerk"] = clerk
        if let message { layout["message"] = ["text": message.text, "kind": message.kind] }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func error(_ status: HTTPResponse.Status, _ text: String) -> Response {
        page("error", title: "\(status.code) \(status.reasonPhrase)", values: ["status": "\(status.code) \(status.reasonPhrase)", "text": text],
             clerk: nil, csrf: "", status: status)
    }
}
