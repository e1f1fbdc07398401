// The blank's template.json: loaded and checked, and when it passes, a reader built from it reads
// a real page. A template that loads must never make the reader misbehave (the check's promise).
import FormReader
import FormTemplate

public enum TemplateTarget {
    public static func run(_ bytes: [UInt8]) throws {
        let path = try Scratch.file("template.json", bytes)
        guard let template = try unlessRefused("FormTemplate.load", { try FormTemplate.load(path) }),
              let reader = try unlessRefused("FormReader.init", {
                  try FormReader(template: template, model: try Project.model.get(), options: Project.options)
              }) else { return }
        try checkTyped(reader.read(path: Project.samplePage).error?.code, "reading a page with the template")
    }
}
