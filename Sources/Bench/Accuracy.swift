// Scoring a run against its truth, one page at a time: the status matrix, per field what was
// accepted right, accepted WRONG, sent to a person or lost with a rejected page, the applicant
// mistakes caught, and digit accuracy of the values read.
//
// Why field by field and not only by page: a verifier looks at the fields the reader flags, so
// a wrong value on an unflagged field slips through even on a page that goes to a person. Every
// such field is a wrong acceptance and is listed, not just counted.

import FormReader

/// A field accepted without a person looking whose value is not what the reader may accept.
public struct WrongAcceptance: Sendable, Equatable {
    public var file: String
    public var field: String
    public var pageStatus: String
    /// The value that should have been accepted; nil when the field had to be flagged.
    public var expected: String?
    /// What is on the page (nil: nothing), and what the reader accepted.
    public var written: String?
    public var read: String
    public var confidence: Double
    /// 1-based positions where `read` differs from `written`.
    public var positions: [Int]
}

public struct FieldTally: Sendable, Equatable {
    /// Passed on as certain.
    public var acceptedRight = 0
    public var acceptedWrong = 0
    /// Delivered with a value, flagged as unverified; the page was not held for it.
    public var flaggedRight = 0
    public var flaggedWrong = 0
    /// The page was read and the field flagged (or given no value).
    public var verification = 0
    /// The reader refused the whole page.
    public var rejected = 0

    public var total: Int { acceptedRight + acceptedWrong + flaggedRight + flaggedWrong + verification + rejected }
    public var flagged: Int { flaggedRight + flaggedWrong }
}

public struct DigitTally: Sendable, Equatable {
    /// Written cells of fields whose value is valid, on pages the reader did not refuse.
    public var digits = 0
    public var correct = 0
    public var fields = 0
    /// Of `fields`, those the reader gave no value: their digits count as wrong.
    public var fieldsWithoutValue = 0

    public var accuracy: Double { ratio(correct, digits) }

    mutating func add(_ other: DigitTally) {
        digits += other.digits; correct += other.correct
        fields += other.fields; fieldsWithoutValue += other.fieldsWithoutValue
    }

    /// Position by position: cell i against character i of the value read.
    static func score(cells: [Int?], read: String?) -> DigitTally {
        let readDigits = read.map { Array($0).map(\.wholeNumberValue) } ?? []
        var t = DigitTally(fields: 1, fieldsWithoutValue: read == nil ? 1 : 0)
        for (i, cell) in cells.enumerated() {
            guard let cell else { continue }
            t.digits += 1
            if i < readDigits.count, readDigits[i] == cell { t.correct += 1 }
        }
        return t
    }
}

public struct AccuracyTally: Sendable {
    public static let statuses = ["accepted", "needs_verification", "rejected"]
    public static let digitFields = ["personnummer", "telefon", "datum"]
    /// The digit fields whose doubt holds a page (the template's critical ones): a page passes
    /// only when these do.
    public let decidingDigitFields: [String]

    public private(set) var pages = 0
    /// expected status → status read → pages.
    public private(set) var statusMatrix: [String: [String: Int]] = [:]
    public private(set) var fields: [String: FieldTally] = [:]
    /// Field names in the order first seen (the template's).
    public private(set) var fieldOrder: [String] = []
    public private(set) var wrongAcceptances: [WrongAcceptance] = []
    /// Files that must be refused (another blank, not a PNG, …) yet were accepted.
    public private(set) var refusedButAccepted: [String] = []
    public private(set) var mistakes = 0
    public private(set) var mistakesFlagged = 0
    /// Flagged, and among the reasons given is every reason the truth names.
    public private(set) var mistakesFlaggedForReason = 0
    public private(set) var missedMistakes: [String] = []
    public private(set) var validPages = 0
    public private(set) var validAccepted = 0
    /// Valid pages registered and read (accepted or sent to a person, not refused).
    public private(set) var validRead = 0
    /// Pages that should be read (valid or with an applicant's mistake), by how they were
    /// registered: "marks", "content", or "none" when they were refused before or at registration.
    public private(set) var registeredBy: [String: Int] = [:]
    public private(set) var acceptedPages = 0
    public private(set) var acceptedPersonnummerExact = 0
    public private(set) var digits: [String: DigitTally] = [:]
    /// Per digit field, one score for every page that was read and should be: input to the
    /// error–reject curves.
    public private(set) var scores: [String: [ScoredField]] = [:]
    /// Every page, for the operating curve.
    public private(set) var pageScores: [PageScore] = []
    /// A campaign's valid applicants outside the register, and of them those sent to a person.
    public private(set) var outsideRegister = 0
    public private(set) var outsideRegisterToPerson = 0
    public private(set) var missedOutsideRegister: [String] = []

    /// PM 7001 before field costs held the page for both required digit fields.
    public init(decidingDigitFields: [String] = ["personnummer", "datum"]) {
        self.decidingDigitFields = decidingDigitFields
    }

    public mutating func add(_ expected: ExpectedPage, _ observed: ObservedPage) {
        pages += 1
        statusMatrix[expected.status, default: [:]][observed.status, default: 0] += 1
        let accepted = observed.status == "accepted"
        if expected.status != "rejected" { registeredBy[observed.registration ?? "none", default: 0] += 1 }
        switch expected.status {
        case "accepted":
            validPages += 1
            if accepted { validAccepted += 1 }
            if observed.status != "rejected" { validRead += 1 }
        case "needs_verification" where expected.isOutsideRegister:
            outsideRegister += 1
            if accepted { missedOutsideRegister.append(expected.file) } else { outsideRegisterToPerson += 1 }
        case "needs_verification":
            mistakes += 1
            if accepted {
                missedMistakes.append(expected.file)
            } else {
                mistakesFlagged += 1
                if Set(expected.reasons).isSubset(of: observed.reasons) { mistakesFlaggedForReason += 1 }
            }
        default:
            if accepted { refusedButAccepted.append(expected.file) }
        }
        if accepted {
            acceptedPages += 1
            if let value = expected.field("personnummer")?.value, observed.field("personnummer")?.value == value {
                acceptedPersonnummerExact += 1
            }
        }
        var digitFields: [String: ScoredField] = [:]
        for truth in expected.fields { digitFields[truth.name] = score(truth, observed) }
        let held = observed.fields.filter { !$0.reasons.isEmpty && Set($0.reasons).isSubset(of: observed.reasons) }
        let doubt = { (reason: String) in Self.digitFields.contains { ReadResult.Field.isDoubt(reason, field: $0) } }
        pageScores.append(PageScore(expectedStatus: expected.isOutsideRegister ? "outside_register" : expected.status,
                                    heldRegardless: observed.status == "rejected" || !observed.reasons.allSatisfy(doubt),
                                    heldBy: observed.status == "rejected" ? ["page refused"] : held.map(\.name), digitFields: digitFields,
                                    decidingDigitFields: decidingDigitFields))
    }

    /// The field's score when it is a digit field on a page that was read.
    private mutating func score(_ truth: ExpectedField, _ page: ObservedPage) -> ScoredField? {
        if fields[truth.name] == nil { fieldOrder.append(truth.name) }
        guard page.status != "rejected" else {
            fields[truth.name, default: FieldTally()].rejected += 1
            return nil
        }
        let read = page.field(truth.name)
        if let read, read.flagged, let value = read.value {
            if value == truth.value { fields[truth.name, default: FieldTally()].flaggedRight += 1 }
            else { fields[truth.name, default: FieldTally()].flaggedWrong += 1 }
        } else if let read, read.accepted, let value = read.value {
            if value == truth.value {
                fields[truth.name, default: FieldTally()].acceptedRight += 1
            } else {
                fields[truth.name, default: FieldTally()].acceptedWrong += 1
                wrongAcceptances.append(WrongAcceptance(
                    file: page.file, field: truth.name, pageStatus: page.status, expected: truth.value,
                    written: truth.written, read: value, confidence: read.confidence,
                    positions: Self.differences(truth.written ?? "", value)))
            }
        } else {
            fields[truth.name, default: FieldTally()].verification += 1
        }
        if truth.value != nil, !truth.cells.isEmpty {
            digits[truth.name, default: DigitTally()].add(DigitTally.score(cells: truth.cells, read: read?.value))
        }
        guard Self.digitFields.contains(truth.name) else { return nil }
        // A value held for a reason no threshold lifts (outside the register, a possible mistake)
        // is accepted at no threshold: the curves count it as a field without a value.
        let liftable = read.map { $0.reasons.allSatisfy { ReadResult.Field.isDoubt($0, field: truth.name) } } ?? false
        let scored = ScoredField(confidence: read?.value == nil || !liftable ? nil : read?.confidence,
                                 correct: read?.value != nil && read?.value == truth.value)
        scores[truth.name, default: []].append(scored)
        return scored
    }

    /// Every digit field together.
    public var allDigits: DigitTally {
        var all = DigitTally()
        for tally in digits.values { all.add(tally) }
        return all
    }

    public var autoAcceptRate: Double { ratio(validAccepted, validPages) }
    public var validReadRate: Double { ratio(validRead, validPages) }
    public var mistakesFlaggedRate: Double { ratio(mistakesFlagged, mistakes) }
    public var outsideRegisterToPersonRate: Double { ratio(outsideRegisterToPerson, outsideRegister) }
    public var personnummerExactAmongAccepted: Double { ratio(acceptedPersonnummerExact, acceptedPages) }

    /// 1-based positions at which two strings differ, over the longer one.
    static func differences(_ a: String, _ b: String) -> [Int] {
        let x = Array(a), y = Array(b)
        return (0..<max(x.count, y.count)).filter { $0 >= x.count || $0 >= y.count || x[$0] != y[$0] }.map { $0 + 1 }
    }
}

/// `part / whole`, 0 when there is nothing to divide.
func ratio(_ part: Int, _ whole: Int) -> Double { ratio(Double(part), Double(whole)) }
func ratio(_ part: Double, _ whole: Double) -> Double { whole > 0 ? part / whole : 0 }
