// The mailing register as a prior on the personnummer: an applicant is a member with
// probability ρ (`share`), spread evenly over the members, and anyone at all otherwise, spread
// evenly over every valid number.
//
// Why a prior and not a filter: people move, are added late, or apply for someone else, so a
// number outside the register can be right; it is only never certain. Against the decoder's
// baseline (every valid value alike, see ConstrainedDecoder) a member's prior is ρ · V / N + (1 − ρ)
// and a non-member's 1 − ρ, with V valid numbers and N members: `boost` is V / N. For PM 7001
// (birth years 1900–1934, samordningsnummer allowed) and 100,000 members that is about 256, which
// is what turns one doubtful cell of a member's number into a certain reading.
import BlankettSupport

public struct RegisterPrior: Sendable {
    public let register: MailingRegister
    public let share: Double

    public init(register: MailingRegister, share: Double = RegisterPrior.defaultShare) throws {
        guard share > 0, share < 1 else {
            throw BlankettError("register_prior_invalid", "the share of applicants in the register must be between 0 and 1, exclusive")
        }
        self.register = register
        self.share = share
    }

    /// The benchmark's campaign mix: 3 % of applicants are not in the register.
    public static let defaultShare = 0.97

    var boost: Double { register.validNumbers / Double(max(1, register.count)) }
}
