// `blankett synth`: writes synthetic, labelled scans of PM 7001 and their answer key, for
// measuring the reader end to end without real applicants' data.
import ArgumentParser
import BlankettSupport
import Foundation
import Synth

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic, labelled scans of PM 7001 (scan-00001.png, …) and their answer key truth.jsonl.",
        discussion: """
            Each page is the real blank (Forms/pm7001/blank-300dpi.png) filled in with MNIST test digits \
            (never training digits), check marks and a signature scribble, then "scanned": 200/240/300 dpi, \
            turned a few degrees, shifted, scaled, sometimes upside down, bilevel or with a folded corner, \
            with paper tone, blur and noise. By default 80 % are valid applications, 12 % carry an \
            applicant's mistake (wrong check digit, impossible birth date, two or no uttag boxes, no \
            signature, a date after the scan) and 8 % must not be accepted (another blank, a blank sheet, \
            another document, an empty PM 7001, a truncated PNG, a JPEG or a text file named .png).

            truth.jsonl holds one JSON object per file, in file order:
              file: scan-00001.png, ... (numbered, never derived from the content)
              case: what the page tests (valid_10_digits, wrong_check_digit, ...)
              expected_status: accepted | needs_verification | rejected
              expected_reasons: one code per broken field (personnummer_invalid,
                personnummer_missing, datum_invalid, datum_missing, uttag_none_marked,
                uttag_several_marked, namnteckning_missing), or the error a rejected
                file gets (unknown_form, blank_page, no_registration_marks,
                png_truncated, not_png)
              expected_rule_codes: FieldRules' finer codes (personnummer_check_digit, ...)
              fields: what was written, null for rejected files:
                personnummer (12 digits; a 10-digit entry with its century 19),
                written_personnummer (exactly the 10 or 12 digits written), telefon,
                uttag ("100"/"75"/"50"/"25", a list if several, null if none),
                datum (YYYYMMDD), namnteckning (true/false)
              scan: dpi, rotation_deg, upside_down, bilevel, shift_mm, scale, shear_deg,
                clipped_mark, marks_in_frame, paper, black, noise, blur, threshold;
                with --scanner harsh, where present: shadow {edge, width_mm, depth},
                crease {at_mm, vertical, width_mm, depth},
                holes {centers_mm, diameter_mm, lid}, pencil
              mnist_indices: the MNIST test-set indices drawn, per field
              allographs: only on pages the stroke model wrote (--writers): the style
                of each digit ("1-flag", "7-crossed", ...), per field
              seed: the page's own seed

            A campaign (--mailing-date with --register-size) also writes register.txt (mode 0600): the \
            personnummer of everyone the blank was mailed to, with birth years as the living population \
            has them (far more born in the early 1930s than in 1910). Applicants are drawn from it, but \
            --not-in-register of the valid ones are not (case valid_not_in_register, expected \
            needs_verification with personnummer_not_in_register); dates of signing follow the mailing, most \
            within a few weeks, and a further mistake is a date before it (datum_before_mailing). Read such a \
            set with `blankett read --register DIR/register.txt --mailing-date D`.

            The truth and register files are the only places a (synthetic) personnummer appears in plain text; \
            this command prints none. The same options and seed give the same files byte for byte, \
            on any number of threads.
            """
    )

    @Option(parsing: .unconditional, help: "Number of files to write, 1 to 1,000,000.") var count = 100
    @Option(help: "Folder for the PNG files and truth.jsonl (created if missing; files of the same names are replaced).")
    var out: String
    @Option(parsing: .unconditional, help: "Seed of the whole run; each page derives its own from it.") var seed: UInt64 = 7001
    @Option(help: "The day of scanning, YYYY-MM-DD: the latest valid date of signing (default: today).")
    var scanDate: String?
    @Option(help: "Folder with the MNIST test set t10k-*-ubyte[.gz] (default: ../shared/data/mnist when present, else SampleScans/digits).")
    var mnist: String?
    @Option(help: "The form template; blank-300dpi.png is taken from beside it.") var template: String?
    @Option(help: "Shares of valid pages, applicant mistakes and rejects, e.g. 0.8,0.12,0.08.") var mix = "0.80,0.12,0.08"
    @Flag(help: "Cycle through every case and every rare scan condition, so a small set shows each at least once.")
    var everyCase = false
    @Option(help: "Scan resolutions to draw from, comma-separated (repeat one to weight it).") var dpi = "200,240,300"
    @Option(help: "Range of the sensor noise's standard deviation in grey levels, LOW-HIGH.") var noise = "1-4"
    @Option(help: "Scanner profile: normal, or harsh (±5°, marks cut off by the edge, shadow bands, fold creases, punched holes, 200 dpi, half bilevel, pencil; --dpi and --noise apply to normal only).")
    var scanner = ScannerProfile.normal
    @Option(parsing: .unconditional, help: "Pages rendered at once, 1 to 256 (the output does not depend on it).") var threads = SynthOptions.defaultThreads
    @Option(help: ArgumentHelp("A campaign: the day the blank was mailed, YYYY-MM-DD (needs --register-size).", valueName: "date"))
    var mailingDate: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("A campaign: members of the mailing register written to register.txt, e.g. 100000 (needs --mailing-date).", valueName: "n"))
    var registerSize: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("A campaign: the share of valid applicants who are not in the register.", valueName: "share"))
    var notInRegister = 0.03
    @Option(help: "Who writes the digits: \(Writers.helpText)") var writers = Writers.mnist

    func validate() throws {
        try OptionRange.check(count, 1...OptionRange.pages.upperBound, "--count")
        try OptionRange.check(threads, OptionRange.threads, "--threads")
        guard let shares = Self.numbers(mix, ","), shares.count == 3, shares.allSatisfy({ (0...1).contains($0) }), shares.reduce(0, +) > 0 else {
            throw ValidationError("--mix needs three shares from 0 to 1, not all 0, e.g. 0.8,0.12,0.08")
        }
        guard Self.numbers(dpi, ",")?.allSatisfy({ (72...1200).contains($0) }) == true else {
            throw ValidationError("--dpi needs resolutions from 72 to 1200, e.g. 200,240,300")
        }
        guard let n = Self.numbers(noise, "-"), n.count == 2, n[0] <= n[1], n.allSatisfy({ (0...255).contains($0) }) else {
            throw ValidationError("--noise needs LOW-HIGH grey levels from 0 to 255, e.g. 1-4")
        }
        guard (mailingDate == nil) == (registerSize == nil) else {
            throw ValidationError("a campaign needs both --mailing-date and --register-size")
        }
        if let registerSize { try OptionRange.check(registerSize, 1...5_000_000, "--register-size") }
        guard (0..<1).contains(notInRegister) else { throw ValidationError("--not-in-register must be at least 0 and below 1") }
    }

    func run() throws {
        let templatePath = template ?? ProjectPaths.defaultTemplate
        var options = SynthOptions(count: count, seed: seed, scanDate: scanDate ?? SynthOptions.today(),
                                   mnistDirectory: mnist ?? ProjectPaths.defaultMNIST, templatePath: templatePath,
                                   threads: threads)
        let shares = Self.numbers(mix, ",")!, noiseRange = Self.numbers(noise, "-")!
        options.mix.valid = shares[0]
        options.mix.mistakes = shares[1]
        options.mix.rejects = shares[2]
        options.coverEveryCase = everyCase
        options.writers = writers
        options.scan.dpis = Self.numbers(dpi, ",")!.map { Int($0) }
        options.scan.noise = noiseRange[0]...noiseRange[1]
        if scanner != .normal { options.scan = scanner.ranges }
        if let mailingDate, let registerSize {
            options.campaign = Campaign(mailingDate: mailingDate, registerSize: registerSize, notInRegister: notInRegister)
        }

        printError("synth: \(count) files into \(out), seed \(seed), scan date \(options.scanDate), digits from \(options.mnistDirectory)")
        let bar = ProgressBar(total: count, label: "synth")
        let started = ContinuousClock.now
        let records = try Synthesizer.generate(options: options, into: out) { done, total in
            bar.update(done, "\(done)/\(total) files")
        }
        let seconds = (ContinuousClock.now - started).seconds
        let bytes = records.compactMap { try? FileManager.default.attributesOfItem(atPath: (out as NSString).appendingPathComponent($0.file))[.size] as? Int }
            .reduce(0, +)
        let byStatus = Dictionary(grouping: records, by: \.expectedStatus).mapValues(\.count)
        print(String(format: "wrote %d files (%.1f MB) and %@ in %.1f s, %.0f ms/file on %d threads",
                     records.count, Double(bytes) / 1e6, Synthesizer.truthFileName, seconds,
                     1000 * seconds / Double(max(records.count, 1)), threads))
        print("expected: " + byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }

    private static func numbers(_ text: String, _ separator: Character) -> [Double]? {
        let parts = text.split(separator: separator).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return parts.isEmpty || parts.contains(nil) ? nil : parts.compactMap { $0 }
    }
}

extension ScannerProfile: ExpressibleByArgument {}
