// Which case page i is, and the seed everything else on it is drawn from.
//
// Why each page has its own seed, derived from the run's seed and the page index: pages can be
// rendered in any order and on any number of threads and still come out the same, one page can
// be regenerated alone from the seed in its truth record, and changing the count of a run does
// not change the pages it shares with a shorter run. Each concern (case, content, drawing, scan,
// file damage) draws from its own sub-stream of the page seed, so adjusting one of them leaves
// the others as they were.
import BlankettSupport

struct PagePlan: Sendable {
    enum Stream: UInt64 { case pageCase = 1, content, drawing, scan, damage, writers }

    let index: Int
    let seed: UInt64
    let pageCase: PageCase

    /// scan-00001.png, …: the page number, never anything written on the page.
    var fileName: String {
        let number = String(index + 1)
        return "scan-" + String(repeating: "0", count: max(0, 5 - number.count)) + number + ".png"
    }

    init(index: Int, options: SynthOptions) {
        var run = SeededGenerator(seed: options.seed).derived(UInt64(index) &+ 1)
        self.index = index
        self.seed = run.next()
        let campaign = options.campaign != nil
        if options.coverEveryCase {
            let cases = PageCase.cases(campaign: campaign)
            pageCase = cases[index % cases.count]
        } else {
            var rng = SeededGenerator(seed: seed).derived(Stream.pageCase.rawValue)
            pageCase = Self.draw(options.mix, notInRegister: options.campaign?.notInRegister, &rng)
        }
    }

    func rng(_ stream: Stream) -> SeededGenerator { SeededGenerator(seed: seed).derived(stream.rawValue) }

    /// `notInRegister`: in a campaign, the share of applicants the blank was not mailed to.
    private static func draw(_ mix: CaseMix, notInRegister: Double?, _ rng: inout SeededGenerator) -> PageCase {
        let total = mix.valid + mix.mistakes + mix.rejects
        let u = rng.between(0, total)
        if u < mix.valid {
            if rng.chance(mix.samordningsnummer) { return .samordningsnummer }
            let tenDigits = rng.chance(mix.tenDigits)
            // Drawn last, so the plain run's pages keep their cases.
            if let notInRegister, rng.chance(notInRegister) { return .notInRegister }
            return tenDigits ? .valid10Digits : .valid12Digits
        }
        return rng.pick(PageCase.cases(in: u < mix.valid + mix.mistakes ? .mistake : .reject, campaign: notInRegister != nil))
    }
}
