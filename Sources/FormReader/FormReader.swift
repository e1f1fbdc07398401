// The pipeline from a scanned PNG to validated fields, driven by the template:
// read (and hash) → decode → register → identify → extract → classify (all digits of a page in one batch) →
// decode each field under its rules → ask the committee about doubtful digit fields → decide.
// The cascade keeps the common page at the cost of one network: the first member of the model's
// ensemble reads every digit, and only the digits of required fields it leaves doubtful go to the
// whole committee (mean logits, its own temperature), whose reading then replaces the first one.
// One reader per worker: it owns the network workspaces and a Tesseract instance, none of which
// may be shared between threads.
import BlankettSupport
import ConvNet
import DigitImage
import FieldRules
import FormTemplate
import Foundation
import PageImage
import SystemPackage

// Sendable so that it can be handed to a worker; only that worker uses it.
public final class FormReader: @unchecked Sendable {
    /// The page picture for the clerk: 3 px/mm (76 dpi) shows the layout and which box holds what;
    /// the doubtful fields themselves come at 8 px/mm.
    static let pagePixelsPerMM = 3.0

    public struct Options: Sendable {
        /// The personnummer is accepted only at or above this confidence (the probability it is
        /// right): the smallest threshold at which the confidences predict fewer than 1 wrong
        /// acceptance in 10,000 fields read, fitted for the committee in Models/ on 1,000 pages made
        /// for the choice (seed 20261131: 0.9991) and on the standard benchmark (2,000 pages, seed
        /// 20261125: 0.9992, read at each threshold, since the committee re-reads only the fields
        /// below it: 0.9991 predicts 1.004e-4); the larger is kept.
        public var acceptThreshold = Options.defaultAcceptThreshold
        public static let defaultAcceptThreshold = 0.9992
        /// With a mailing register nearly every member's number is read at 0.99999 or better, so
        /// the same criterion allows a lower threshold: 0.9943 on 400 campaign pages made for the
        /// choice (seed 777) and 0.9967 on 600 fresh ones (seed 20261202), 0.9928 on the standard
        /// campaign; the largest, rounded up, is kept.
        public static let registerAcceptThreshold = 0.997
        /// The same for digit fields without a check digit (a date, a phone number), where one
        /// confidently misread digit still makes a valid value. A date is passed on as certain
        /// only when its own chance of being wrong is below a clerk's keying error (4 in 10,000),
        /// the bar the policy sets for an informative field; the predicted-rate criterion alone
        /// would allow 0.9994 to 0.9995 on the same runs.
        public var uncheckedAcceptThreshold = 0.9996
        /// The same for check boxes and the signature. Their confidence comes from the ink found
        /// (Presence), a margin rather than a probability fitted to data, so it has a threshold of
        /// its own; no mark has been misjudged on the benchmark.
        public var markAcceptThreshold = 0.98
        /// The day the pages were scanned: a date of signing after it is invalid.
        public var scanDate: CalendarDate
        /// The day the blank was mailed: a date of signing before it is invalid. Without it the
        /// window opens at the form's edition (DateField.defaultNotBefore).
        public var mailingDate: CalendarDate?
        /// Who the blank was mailed to, as a prior on the personnummer.
        public var register: RegisterPrior?
        /// An informative field (the date of signing) read as a valid value may still have been
        /// an applicant's mistake (a date outside the window) that a doubtful cell hides. From
        /// this probability of a mistake on, the form is held for it (`<field>_possible_mistake`)
        /// rather than delivered flagged: one in twenty. Most mistakes are written plainly and
        /// decoded as invalid outright; a stricter bound only held valid forms whose window edge
        /// (the mailing day, the scan day) lies one doubtful digit away (49 of 302 at 4e-4, 5 at
        /// 0.05, on 400 campaign pages of seed 777 made for this choice and nothing else).
        public var mistakeBound = 0.05
        public var limits = PNGCodec.Limits.default
        /// Keep each digit cell as extracted (lines removed, paper white), for the Tesseract peer
        /// in the benchmark and for people checking a doubtful field.
        public var keepCellImages = false
        /// Keep a picture of every doubtful field (its cells or boxes with 2 mm around, 8 px/mm),
        /// so a person can decide from the verification queue without the whole page.
        /// Pictures of the doubtful fields and of the whole page, for the clerk.
        public var keepDoubtfulFieldCrops = false

        public init(scanDate: CalendarDate) { self.scanDate = scanDate }
    }

    let template: FormTemplate
    let model: Ensemble
    let options: Options
    let workspace: Workspace
    let committeeWorkspaces: [Workspace]
    let identifier: FormIdentifier
    /// The blank's print, to register a page from when its marks are lost.
    let content: ContentReference?
    let decoder: ConstrainedDecoder
    let uncheckedDecoder: ConstrainedDecoder
    let markDecoder: ConstrainedDecoder
    let extractor: FieldExtractor
    let policy: PersonnummerPolicy
    /// The scan date of the page being read: a date of signing after it is invalid. Set per read,
    /// because a daemon running past midnight scans on a new day.
    private var scanDate: CalendarDate

    public init(template: FormTemplate, model: Ensemble, options: Options) throws {
        for field in template.fields where field.kind != .signature {
            let rule = field.validate ?? ""
            guard field.kind == .digits ? Self.digitRuleCells[rule] != nil : rule == "exactly_one" else {
                throw BlankettError("template_invalid", "field \(field.name): no rule '\(rule)' for \(field.kind.rawValue) in this reader")
            }
            // Each digit rule reads a fixed number of cells; another number would stop the decoder.
            if let count = Self.digitRuleCells[rule], field.cells?.count != count {
                throw BlankettError("template_invalid", "field \(field.name): rule '\(rule)' reads \(count) cells, not \(field.cells?.count ?? 0)")
            }
        }
        self.template = template
        self.model = model
        self.options = options
        scanDate = options.scanDate
        // Room for every digit cell of the page, so a page is always one batch (one GEMM per layer).
        let cells = max(1, template.fields.filter { $0.kind == .digits }.reduce(0) { $0 + ($1.cells?.count ?? 0) })
        workspace = Workspace(architecture: model.primary.architecture, capacity: cells)
        committeeWorkspaces = model.members.dropFirst().map { Workspace(architecture: $0.architecture, capacity: cells) }
        let blank = try template.blankImagePath.map { try PNGCodec.decode(path: $0) }
        identifier = try FormIdentifier(template: template, blank: blank)
        content = blank.map { ContentReference(blank: $0, pageWidthMM: template.page.widthMm, pageHeightMM: template.page.heightMm) }
        var decoder = ConstrainedDecoder()
        decoder.minConfidence = options.acceptThreshold
        self.decoder = decoder
        decoder.minConfidence = options.uncheckedAcceptThreshold
        uncheckedDecoder = decoder
        decoder.minConfidence = options.markAcceptThreshold
        markDecoder = decoder
        extractor = FieldExtractor(template: template)
        policy = template.personnummerPolicy
    }

    /// Reads on the scan date of the options.
    public func read(path: String) -> ReadResult { read(path: FilePath(path), scanDate: options.scanDate) }

    /// `name`: the name to record, masked, when the file's own is not the one it arrived under.
    public func read(path: FilePath, scanDate: CalendarDate, name: String? = nil) -> ReadResult {
        self.scanDate = scanDate
        var result = ReadResult(file: name ?? path.shownName)
        result.scanDate = scanDate
        result.mailingDate = options.mailingDate
        var clock = StageClock()
        do {
            let bytes = try PNGCodec.readFile(path, limit: options.limits.maxFileBytes)
            result.sha256 = SHA256.hex(bytes)
            clock.lap("read")
            try read(bytes, into: &result, clock: &clock)
        } catch {
            result.status = .rejected
            result.error = error as? BlankettError ?? BlankettError("internal_error", "\(error)")
            result.reasons = [result.error!.code]
        }
        result.timingsMs = clock.stages
        return result
    }

    private func read(_ bytes: [UInt8], into result: inout ReadResult, clock: inout StageClock) throws {
        let page = try PNGCodec.decode(bytes, limits: options.limits)
        clock.lap("decode")
        let registration = try extractor.register(page, content: content)
        result.form = .init(id: template.id, edition: template.edition, dpi: registration.dpi,
                            skewDegrees: registration.skewDegrees, orientation: registration.orientation.rawValue,
                            marksFound: registration.marksFound, registration: registration.method.rawValue)
        clock.lap("register")
        let crops = extractor.crops(page, registration)
        if case .mismatch(let read) = identifier.identify(crops) {
            result.form = nil
            throw BlankettError("unknown_form", "not \(template.id) edition \(template.edition): the header reads '\(read)'")
        }
        clock.lap("identify")

        let extracted = extractor.extract(crops, keepCellImages: options.keepCellImages)
        clock.lap("extract")
        result.cellImages = extracted.cellImages
        var digits = PageDigits(extracted.digits)
        digits.classify(model.primary, workspace: workspace)
        clock.lap("classify")
        // The personnummer first and timed on its own: with a register it is the one costly rule.
        let isPersonnummer = template.fields.map { $0.validate == "personnummer" }
        var decoded = [ReadResult.Field?](repeating: nil, count: template.fields.count)
        for (i, field) in template.fields.enumerated() where isPersonnummer[i] {
            decoded[i] = decode(field, readings: digits.readings, presence: extracted.presence)
        }
        clock.lap("personnummer")
        for (i, field) in template.fields.enumerated() where !isPersonnummer[i] {
            decoded[i] = decode(field, readings: digits.readings, presence: extracted.presence)
        }
        result.fields = decoded.compactMap { $0 }
        clock.lap("rules")
        // The committee is asked only when its answer can let the page through: every required
        // field the first network leaves doubtful is a digit field with something written in it.
        // An optional field's doubt never holds a page up, so it is not worth the committee's time.
        let doubtful = result.fields.indices.filter { template.fields[$0].required && !result.fields[$0].reasons.isEmpty }
        let askable = doubtful.allSatisfy {
            template.fields[$0].kind == .digits && result.fields[$0].reasons != ["\(result.fields[$0].name)_missing"]
        }
        if model.members.count > 1, !doubtful.isEmpty, askable {
            digits.consult(model, fields: doubtful.map { template.fields[$0].name }, workspaces: committeeWorkspaces)
            for i in doubtful { result.fields[i] = decode(template.fields[i], readings: digits.readings, presence: extracted.presence) }
        }
        clock.lap("committee")
        if options.keepDoubtfulFieldCrops {
            for field in result.fields where !field.reasons.isEmpty {
                guard let bounds = template.field(field.name)?.boundsMm else { continue }
                result.fieldCrops[field.name] = crops.printed([bounds[0] - 2, bounds[1] - 2, bounds[2] + 4, bounds[3] + 4],
                                                              pixelsPerMM: 8)
            }
            if !result.fieldCrops.isEmpty {
                result.pageCrop = crops.printed([0, 0, template.page.widthMm, template.page.heightMm], pixelsPerMM: Self.pagePixelsPerMM)
            }
        }

        // Each field holds the page or not by its cost; one that does not keeps its reasons on the
        // field, delivered flagged, so the queue item still shows them.
        for (i, field) in template.fields.enumerated() { result.fields[i].standing = Self.standing(result.fields[i], cost: field.costClass) }
        result.reasons = result.fields.filter { $0.standing == .verify }.flatMap(\.reasons)
        result.status = result.reasons.isEmpty ? .accepted : .needsVerification
    }

    // MARK: rules

    static let digitRuleCells = ["personnummer": 12, "date_signed": DateField.cellCount, "phone": PhoneField.cellCount]

    /// A required digit field with every cell plainly empty was left out, which a person should
    /// be told as such rather than as an invalid number.
    static let emptyCell = 0.9

    private func decode(_ field: FormTemplate.Field, readings: [String: [CellReading]], presence: [String: [Double]]) -> ReadResult.Field {
        if field.kind == .digits, field.required, let cells = readings[field.name], cells.allSatisfy({ $0.empty >= Self.emptyCell }) {
            let confidence = cells.reduce(1.0) { $0 * $1.empty }
            return .init(name: field.name, value: nil, confidence: confidence, alternatives: [],
                         reasons: ["\(field.name)_missing"], sensitive: field.validate == "personnummer")
        }
        switch (field.kind, field.validate) {
        case (.digits, "personnummer"):
            return self.field(decoder.decodePersonnummer(readings[field.name] ?? [], policy: policy, register: options.register),
                         cost: field.costClass, sensitive: true)
        case (.digits, "date_signed"):
            let window = DateField(mailing: options.mailingDate, scan: scanDate)
            return self.field(uncheckedDecoder.decodeDate(readings[field.name] ?? [], window: window), cost: field.costClass, sensitive: false)
        case (.digits, _):
            return self.field(uncheckedDecoder.decodePhone(readings[field.name] ?? []), cost: field.costClass, sensitive: false)
        case (.choice, _):
            let options = zip(field.options ?? [], presence[field.name] ?? []).map { (value: $0.0.value, marked: $0.1) }
            let decoded = markDecoder.decodeExactlyOne(field.name, options: options)
            return .init(name: field.name, value: decoded.value.map { .text($0) }, confidence: decoded.confidence,
                         alternatives: decoded.alternatives.map { (.text($0.value), $0.probability) },
                         reasons: decoded.reasons, sensitive: false)
        case (.signature, _):
            let p = presence[field.name]?.first ?? 0
            let present = p >= 0.5, confidence = max(p, 1 - p)
            var reasons: [String] = []
            if field.required && !present { reasons.append("\(field.name)_missing") }
            else if confidence < options.markAcceptThreshold { reasons.append("\(field.name)_low_confidence") }
            return .init(name: field.name, value: .flag(present), confidence: confidence,
                         alternatives: [(.flag(!present), 1 - confidence)], reasons: reasons, sensitive: false)
        }
    }

    private func field(_ decoded: DecodedField<[Int]>, cost: FormTemplate.Field.Cost, sensitive: Bool) -> ReadResult.Field {
        func text(_ digits: [Int]) -> ReadResult.Field.Value { .text(digits.map(String.init).joined()) }
        var reasons = decoded.reasons
        if cost == .informative, decoded.value != nil, decoded.invalidProbability >= options.mistakeBound {
            reasons.append("\(decoded.field)_possible_mistake")
        }
        return .init(name: decoded.field, value: decoded.value.map(text), confidence: decoded.confidence,
                     alternatives: decoded.alternatives.prefix(3).map { (text($0.value), $0.probability) },
                     reasons: reasons, sensitive: sensitive)
    }

    /// Whether a field's reasons hold the form for a person, by what a wrong value costs.
    public static func standing(_ field: ReadResult.Field, cost: FormTemplate.Field.Cost) -> ReadResult.Field.Standing {
        guard !field.reasons.isEmpty else { return .certain }
        switch cost {
        case .critical: return .verify
        case .optional: return .flagged
        case .informative:
            let doubtOnly = field.value != nil && field.reasons.allSatisfy { ReadResult.Field.isDoubt($0, field: field.name) }
            return doubtOnly ? .flagged : .verify
        }
    }
}

/// Wall-clock time per pipeline stage.
struct StageClock {
    private var last = ContinuousClock.now
    private(set) var stages: [(stage: String, ms: Double)] = []

    mutating func lap(_ stage: String) {
        let now = ContinuousClock.now
        stages.append((stage, (now - last).seconds * 1000))
        last = now
    }
}
