// What the applicant writes on the page, decided from the case before anything is drawn:
// digits per field, the marked uttag boxes and whether the page is signed.
//
// Why content is separate from drawing: the truth record is built from these values alone, and
// the drawing code only renders them, so what the truth says was written is what was written.
import BlankettSupport
import FieldRules
import Foundation

/// What a campaign's pages are drawn from.
struct SynthCampaign: Sendable {
    let register: CampaignRegister
    let mailing: CalendarDate
    let meanReplyDays: Double
}

struct Entries: Sendable {
    /// Exactly the digits written, 10 or 12 (none on an empty form).
    var personnummer: [Int] = []
    /// The same number as 12 digits: the century added to a 10-digit entry.
    var intendedPersonnummer: [Int] = []
    /// '0' and 6–9 more digits, or none.
    var telefon: [Int] = []
    /// Indices into the uttag options that carry a mark.
    var uttag: [Int] = []
    var datum: [Int] = []
    var signed = false

    static let empty = Entries()

    /// In a campaign the applicants are the register's members (or, for `.notInRegister`, not)
    /// and sign after the mailing, most within a few weeks.
    static func draw(for pageCase: PageCase, mix: CaseMix, scanDate scan: CalendarDate, policy: PersonnummerPolicy,
                     uttagOptions: Int, campaign: SynthCampaign?, using rng: inout SeededGenerator) -> Entries {
        guard pageCase.isFilledIn else { return .empty }
        var e = Entries()
        let number: [Int]
        let samordning = pageCase == .samordningsnummer
        switch (pageCase, campaign) {
        case (.wrongCheckDigit, let c):
            number = PersonnummerMaker.wrongCheckDigit(policy: policy, intended: c?.register.member(samordningsnummer: false, using: &rng),
                                                       using: &rng)
        case (.invalidBirthDate, _): number = PersonnummerMaker.invalidBirthDate(policy: policy, using: &rng)
        case (.notInRegister, let c?): number = c.register.outsider(policy: policy, using: &rng)
        case (_, let c?): number = c.register.member(samordningsnummer: samordning, using: &rng)
        case (_, nil): number = PersonnummerMaker.valid(policy: policy, samordningsnummer: samordning, using: &rng)
        }
        let tenDigits: Bool
        switch pageCase {
        case .valid12Digits: tenDigits = false
        case .valid10Digits: tenDigits = true
        default: tenDigits = rng.chance(mix.tenDigits)
        }
        e.intendedPersonnummer = number
        e.personnummer = tenDigits ? Array(number.suffix(10)) : number

        // A Swedish number: trunk '0', an area code that does not start with 0, 7–10 digits in all.
        if rng.chance(0.6) { e.telefon = [0, 1 + rng.below(9)] + rng.digits(5 + rng.below(4)) }

        switch pageCase {
        case .noUttag: e.uttag = []
        case .severalUttag:
            let first = rng.below(uttagOptions)
            e.uttag = [first, (first + 1 + rng.below(uttagOptions - 1)) % uttagOptions].sorted()
        default: e.uttag = [rng.below(uttagOptions)]
        }

        let signedOn: CalendarDate
        let first = (campaign?.mailing ?? DateField.defaultNotBefore).dayNumber
        switch (pageCase, campaign) {
        case (.futureDate, _): signedOn = scan.adding(days: 1 + rng.below(120))
        case (.dateBeforeMailing, let c?): signedOn = c.mailing.adding(days: -1 - rng.below(60))
        case (_, let c?):
            // Exponential delay from the mailing; a reply later than the scan is drawn again, evenly.
            let days = Int(-c.meanReplyDays * log(max(1e-12, 1 - rng.between(0, 1))))
            signedOn = first + days <= scan.dayNumber ? c.mailing.adding(days: days)
                : CalendarDate(dayNumber: first + rng.below(scan.dayNumber - first + 1))
        default: signedOn = CalendarDate(dayNumber: first + rng.below(scan.dayNumber - first + 1))
        }
        e.datum = signedOn.digits
        e.signed = pageCase != .missingSignature
        return e
    }
}
