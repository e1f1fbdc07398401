// Why a form goes back to the applicant instead of into the queue: what the letter that goes
// with it explains. The code is stored on the item; the text is what the clerk picks from.
public enum ReturnReason: String, CaseIterable, Sendable {
    case noSignature = "no_signature"
    case noChoice = "no_choice"
    case severalChoices = "several_choices"
    case invalidPersonnummer = "invalid_personnummer"
    case invalidDate = "invalid_date"
    case unreadable
    case notThisForm = "not_this_form"

    public var text: String {
        switch self {
        case .noSignature: "Not signed"
        case .noChoice: "No share of the pension marked"
        case .severalChoices: "More than one share marked"
        case .invalidPersonnummer: "The personnummer is not valid"
        case .invalidDate: "The date of signing is impossible or outside the campaign"
        case .unreadable: "The form cannot be read"
        case .notThisForm: "Not a PM 7001 application"
        }
    }
}
