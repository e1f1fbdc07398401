// What one synthetic page is meant to test: a correctly filled application, one of the
// applicant's typical mistakes, or something the reader must refuse outright.
//
// Why the cases are named and few: each stands for a decision the reader has to get right, and
// a named case lets a test or a person ask "show me every page of this kind" in the truth file.
// What the reader should conclude is not stored here: it is derived from what was actually
// written, through FieldRules (see Expectation.swift), so the answer key cannot drift from
// the rules.
public enum PageCase: String, CaseIterable, Codable, Sendable {
    // Filled in correctly.
    case valid12Digits = "valid_12_digits"
    case valid10Digits = "valid_10_digits"
    case samordningsnummer = "valid_samordningsnummer"
    /// A campaign's applicant the blank was not mailed to: valid, but a person must find who it is.
    case notInRegister = "valid_not_in_register"
    // The applicant's own mistakes: the page is PM 7001 and readable, but a person must look.
    case wrongCheckDigit = "wrong_check_digit"
    case invalidBirthDate = "invalid_birth_date"
    case severalUttag = "uttag_several_marked"
    case noUttag = "uttag_none_marked"
    case missingSignature = "signature_missing"
    case futureDate = "datum_in_future"
    /// A campaign's date of signing before the mailing.
    case dateBeforeMailing = "datum_before_mailing"
    // Must not be accepted: refused with an error code, or (an empty PM 7001) flagged field by field.
    case otherBlank = "other_blank"
    case blankPage = "blank_page"
    case otherDocument = "other_document"
    case emptyForm = "empty_form"
    case truncatedPNG = "truncated_png"
    case jpegAsPNG = "jpeg_named_png"
    case textAsPNG = "text_named_png"

    public enum Group: String, Sendable { case valid, mistake, reject }

    public var group: Group {
        switch self {
        case .valid12Digits, .valid10Digits, .samordningsnummer, .notInRegister: .valid
        case .wrongCheckDigit, .invalidBirthDate, .severalUttag, .noUttag, .missingSignature, .futureDate, .dateBeforeMailing: .mistake
        case .otherBlank, .blankPage, .otherDocument, .emptyForm, .truncatedPNG, .jpegAsPNG, .textAsPNG: .reject
        }
    }

    /// The cases a run can have: those that need a register and a mailing date only in a campaign.
    public static func cases(campaign: Bool) -> [PageCase] {
        allCases.filter { campaign || ($0 != .notInRegister && $0 != .dateBeforeMailing) }
    }

    public static func cases(in group: Group, campaign: Bool) -> [PageCase] { cases(campaign: campaign).filter { $0.group == group } }

    /// Whether the applicant fills in the PM 7001 cells at all (on the real or another blank).
    var isFilledIn: Bool { group != .reject || self == .otherBlank || self == .truncatedPNG }
}
