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
    @Option(parsing: .unconditional, help: ArgumentHelp("Accept the personnummer only when the probability that it is right is at least this (default \(FormReader.Options.defaultAcceptThreshold), or \(FormReader.Options.registerAcceptThreshold) with --register: the smallest at which the confidences predict fewer than 1 wrong acceptance in 10,000 fields read, on the benchmark's plain and campaign runs).", valueName: "p"))
    var acceptThreshold: Double?
    @Option(parsing: .unconditional, help: "The same for digit fields without a check digit (date of signing, phone number), where one misread digit still gives a valid value.")
    var acceptThresholdUnchecked = 0.9996
    @Option(parsing: .unconditional, help: "The same for the uttag boxes and the signature, whose confidence is a margin on the ink found rather than a fitted probability.")
    var acceptThresholdMarks = 0.98
    @Option(help: ArgumentHelp("The mailing register: everyone the blank was mailed to, one 12-digit personnummer per line ('#' comments and blank lines ignored).", discussion: "Membership is a prior, not a filter: a personnummer read as a member's can be certain where the cells alone leave it doubtful; one outside the register is never certain and goes to a person (personnummer_not_in_register) with the nearest members as alternatives. Personal data: keep the file mode 0600; a file anyone may read is warned about.", valueName: "file"))
    var register: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("The share of applicants who are in the register (ρ, the prior's weight).", valueName: "share"))
    var registerPrior = RegisterPrior.defaultShare
    @Option(help: ArgumentHelp("The day the blank was mailed, YYYY-MM-DD: a date of signing before it is invalid (datum_before_mailing). With --scan-date it gives the window of valid dates (default: from 2025-01-01).", valueName: "date"))
    var mailingDate: String?

    func validate() throws {
        guard [acceptThreshold ?? 0.5, acceptThresholdUnchecked, acceptThresholdMarks].allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw ValidationError("--accept-threshold, --accept-threshold-unchecked and --accept-threshold-marks must be in (0, 1)")
        }
        if let scanDate, CalendarDate(scanDate) == nil { throw ValidationError("--scan-date '\(scanDate)' is not a date YYYY-MM-DD") }
        guard registerPrior > 0, registerPrior < 1 else { throw ValidationError("--register-prior must be between 0 and 1, exclusive") }
        if let mailingDate {
            guard let mailing = CalendarDate(mailingDate) else { throw ValidationError("--mailing-date '\(mailingDate)' is not a date YYYY-MM-DD") }
            if let scan = scanDate.flatMap(CalendarDate.init), scan < mailing {
                throw ValidationError("--mailing-date \(mailing) is after --scan-date \(scan): no date of signing could be valid")
            }
        }
    }

    /// --accept-threshold, or its default for reading with or without a register.
    var personnummerThreshold: Double {
        acceptThreshold ?? (register == nil ? FormReader.Options.defaultAcceptThreshold : FormReader.Options.registerAcceptThreshold)
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
        options.acceptThreshold = personnummerThreshold
        options.uncheckedAcceptThreshold = acceptThresholdUnchecked
        options.markAcceptThreshold = acceptThresholdMarks
        options.mailingDate = mailingDate.flatMap(CalendarDate.init)
        options.register = try loadRegister(template)
        options.keepDoubtfulFieldCrops = keepDoubtfulFieldCrops
        options.keepCellImages = keepCellImages
        return { try FormReader(template: template, model: ensemble, options: options) }
    }

    /// The register, loaded once and shared by every reader of the process.
    private func loadRegister(_ template: FormTemplate) throws -> RegisterPrior? {
        guard let register else { return nil }
        let loaded = try MailingRegister.load(register, policy: template.personnummerPolicy)
        if loaded.worldReadable {
            printError("warning: the register \(Personnummer.redacted(register)) can be read by anyone on this machine; it is personal data (chmod 600)")
        }
        return try RegisterPrior(register: loaded.register, share: registerPrior)
    }

    /// The --scan-date override; nil means each file is dated the day it is read.
    var scanDateOverride: CalendarDate? { scanDate.flatMap(CalendarDate.init) }
}
