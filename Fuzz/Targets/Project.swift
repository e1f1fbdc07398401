// The committed blank, model and one sample page, found from this file's place in the repository
// so the harnesses run from any folder. Loaded once per process: a harness runs millions of inputs.
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation

enum Project {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static let options = FormReader.Options(scanDate: CalendarDate(year: 2025, month: 11, day: 20)!)
    /// An accepted bilevel scan of 48 KB: small enough to read once per fuzzed template.
    static let samplePage = "\(root)/SampleScans/scan-00002.png"
    static let model = Result { try ModelFile.read("\(root)/Models/digits.bkn") }
    static let reader = Result {
        try FormReader(template: try FormTemplate.load("\(root)/Forms/pm7001/template.json"), model: try model.get(), options: options)
    }
}
