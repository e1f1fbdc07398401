// Options shared by every command that reads forms (read, bench, watch): which template, model,
// scan date and threshold, and how to build one FormReader per worker from them.
import ArgumentParser
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation

struct ReaderOptions: ParsableArguments {
    @Option(help: "The blank's template (default: Forms/pm7001/template.json).") var template: String?
    @Option(help: "The digit network (default: Models/digits.bkn).") var model: String?
    @Option(help: "Day of scanning, YYYY-MM-DD; a date of signing after it is invalid (default: the day each file is read).")
    var scanDate: String?
    @Option(parsing: .unconditional, help: "Accept the personnummer only when the probability that it is right is at least this (default chosen on the standard benchmark: wrong acceptances below 1 in 10,000 fields).")
    var acceptThreshold = 0.9993
    @Option(parsing: .unconditional, help: "The same for digit fields without a check digit (date of signing, phone number), where one misread digit still gives a valid value.")
    var acceptThresholdUnchecked = 0.9996
    @Option(parsing: .unconditional, help: "The same for the uttag boxes and the signature, whose confidence is a margin on the ink found rather than a fitted probability.")
    var acceptThresholdMarks = 0.98

    func validate() throws {
        guard [acceptThreshold, acceptThresholdUnchecked, acceptThresholdMarks].allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw ValidationError("--accept-threshold, --accept-threshold-unchecked and --accept-threshold-marks must be in (0, 1)")
        }
        if let scanDate, CalendarDate(scanDate) == nil { throw ValidationError("--scan-date '\(scanDate)' is not a date YYYY-MM-DD") }
    }

    /// SHA-256 of the model file, recorded with every queue item.
    func modelSHA256() throws -> String {
        let path = model ?? ProjectPaths.defaultModel
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("model_not_found", "cannot read model file \(path)")
        }
        return SHA256.hex(data)
    }

    /// A factory for readers: template and model are loaded once and shared by all workers.
    func readerFactory(keepDoubtfulFieldCrops: Bool = false, keepCellImages: Bool = false) throws -> () throws -> FormReader {
        let template = try FormTemplate.load(self.template ?? ProjectPaths.defaultTemplate)
        let ensemble = try ModelFile.read(model ?? ProjectPaths.defaultModel)
        var options = FormReader.Options(scanDate: scanDateOverride ?? .today())
        options.acceptThreshold = acceptThreshold
        options.uncheckedAcceptThreshold = acceptThresholdUnchecked
        options.markAcceptThreshold = acceptThresholdMarks
        options.keepDoubtfulFieldCrops = keepDoubtfulFieldCrops
        options.keepCellImages = keepCellImages
        return { try FormReader(template: template, model: ensemble, options: options) }
    }

    /// The --scan-date override; nil means each file is dated the day it is read.
    var scanDateOverride: CalendarDate? { scanDate.flatMap(CalendarDate.init) }
}
