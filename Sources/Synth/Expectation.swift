// What the reader should conclude about a page: its status and the reasons for it.
//
// Why derived and not looked up by case: for a filled-in PM 7001 the verdict comes from running
// what was actually written through the same FieldRules the reader uses, so the answer key
// agrees with the rules by construction. The case only decides what the applicant writes.
// Pages that are not a readable PM 7001 carry the error code the reader should stop with.
//
// Reason codes (one per broken field): personnummer_missing, personnummer_invalid,
// personnummer_not_in_register (a campaign's applicant the blank was not mailed to),
// datum_missing, datum_invalid, telefon_invalid, uttag_none_marked, uttag_several_marked,
// namnteckning_missing. `ruleCodes` adds FieldRules' own finer codes (personnummer_check_digit,
// personnummer_invalid_date, datum_after_scan_date, ...).
import FieldRules

struct Expectation: Sendable {
    enum Status: String { case accepted, needsVerification = "needs_verification", rejected }

    let status: Status
    let reasons: [String]
    let ruleCodes: [String]

    init(pageCase: PageCase, entries: Entries, policy: PersonnummerPolicy, scanDate: CalendarDate, campaign: SynthCampaign?) {
        if let code = Self.rejectCode(pageCase) {
            (status, reasons, ruleCodes) = (.rejected, [code], [])
            return
        }
        var reasons: [String] = [], codes: [String] = []
        if entries.personnummer.isEmpty {
            reasons.append("personnummer_missing")
        } else if case .failure(let problem) = Personnummer.validate(entries.personnummer, policy: policy) {
            reasons.append("personnummer_invalid")
            codes.append(problem.code)
        } else if let campaign, !campaign.register.lookup.contains(entries.intendedPersonnummer) {
            reasons.append("personnummer_not_in_register")
        }
        if case .failure(let problem) = PhoneField.validate(entries.telefon) {
            reasons.append("telefon_invalid")
            codes.append(problem.code)
        }
        if entries.uttag.isEmpty { reasons.append("uttag_none_marked") }
        if entries.uttag.count > 1 { reasons.append("uttag_several_marked") }
        if entries.datum.isEmpty {
            reasons.append("datum_missing")
        } else if case .failure(let problem) = DateField(mailing: campaign?.mailing, scan: scanDate).validate(entries.datum) {
            reasons.append("datum_invalid")
            codes.append(problem.code)
        }
        if !entries.signed { reasons.append("namnteckning_missing") }
        self.status = reasons.isEmpty ? .accepted : .needsVerification
        self.reasons = reasons
        self.ruleCodes = codes
    }

    /// The error a reader should refuse the page or file with, for cases that are not a
    /// readable PM 7001; an empty PM 7001 is read, and then flagged field by field.
    private static func rejectCode(_ pageCase: PageCase) -> String? {
        switch pageCase {
        case .otherBlank: "unknown_form"
        case .blankPage: "blank_page"
        case .otherDocument: "no_registration_marks"
        case .truncatedPNG: "png_truncated"
        case .jpegAsPNG, .textAsPNG: "not_png"
        default: nil
        }
    }
}
