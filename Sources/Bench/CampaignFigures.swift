// What a campaign run knew beyond the cells: the mailing date and the register, with the
// register's own cost, so the report can say what straight-through processing costs in memory.
public struct CampaignFigures: Sendable {
    public var mailingDate: String?
    public var members: Int
    /// The trie's arrays.
    public var megabytes: Double
    public var loadMs: Double
    /// ρ, the prior's share of applicants in the register.
    public var share: Double

    public init(mailingDate: String?, members: Int, megabytes: Double, loadMs: Double, share: Double) {
        self.mailingDate = mailingDate
        self.members = members
        self.megabytes = megabytes
        self.loadMs = loadMs
        self.share = share
    }

    var json: [String: Any] {
        ["mailing_date": mailingDate as Any, "register_members": members, "register_mb": megabytes,
         "register_load_ms": loadMs, "register_prior": share]
    }
}
