// The run as a Markdown report for people: the figures that decide whether the reader may be
// trusted first (wrong acceptances, each listed), then the error–reject curve, the Tesseract peer
// and throughput. Printed by `blankett bench` and recorded under benchmarks/results/.
import Foundation

extension BenchRun {
    public func markdown(chartFile: String?) -> String {
        let a = accuracy, all = a.allDigits
        let methods: [String] = a.registeredBy.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let registeredRow: String = "| valid forms registered and read (not refused); pages to read by registration method | "
            + "\(pct(a.validReadRate)) (\(a.validRead) of \(a.validPages)); " + methods.joined(separator: ", ") + " |"
        var md = ["# Blankett benchmark", "",
                  "\(source), scan date \(scanDate)" + (campaign.map { c in ", mailing date \(c.mailingDate ?? "none"), register of \(c.members) (ρ \(c.share))" } ?? ", no campaign knowledge (no register, no mailing date)") + ", accept thresholds \(acceptThreshold) (personnummer), \(uncheckedAcceptThreshold) (datum, telefon: no check digit) and \(markAcceptThreshold) (uttag, signature), \(readMany.threads) threads.",
                  "Machine: \(machine.cpu), \(machine.cores) cores, 1-minute load average \(load(machine.loadAverage)) at the start and \(load(loadAfterReading)) after reading (other work on the cores slows the timings); \(machine.date).",
                  "", "## Summary", "", "| figure | value |", "| --- | --- |",
                  "| **wrong acceptances** (fields passed on as certain with a wrong value) | **\(a.wrongAcceptances.count)** (\(a.wrongAcceptances.filter { $0.pageStatus == "accepted" }.count) on accepted pages) |",
                  "| dates of signing delivered flagged (informative: doubtful but valid, for the robot to record as unverified), wrong among them | \(flaggedDates.flagged) of \(flaggedDates.read) read (\(pct(ratio(flaggedDates.flagged, flaggedDates.read)))), \(flaggedDates.wrong) wrong |",
                  "| wrong acceptances per field the confidences predict (Σ 1 − confidence over the accepted ÷ fields read) | " + AccuracyTally.digitFields.map { "\($0) \(sci(predictedWrongPerField($0)))" }.joined(separator: ", ") + " |",
                  "| files that must be refused, accepted | \(a.refusedButAccepted.count) |",
                  "| auto-accept rate of valid forms | \(pct(a.autoAcceptRate)) (\(a.validAccepted) of \(a.validPages)) |",
                  registeredRow,
                  "| auto-accept if more wrong acceptances were allowed (predicted per field read; see the page-by-page table) | " + [1e-3, 1e-2].map { rate in
                      let row = operatingCurve.row(predictingBelow: rate)
                      return "< \(sci(rate)): \(pct(row.autoAcceptRate)) with \(row.wrongDigitFields) wrong digit fields"
                  }.joined(separator: "; ") + "; " + targetSummary + " |",
                  "| valid applicants outside the register sent to a person | " + (campaign == nil ? "no register" : "\(pct(a.outsideRegisterToPersonRate)) (\(a.outsideRegisterToPerson) of \(a.outsideRegister)\(a.missedOutsideRegister.isEmpty ? "" : "; missed: " + a.missedOutsideRegister.joined(separator: ", ")))") + " |",
                  "| applicant mistakes flagged | \(pct(a.mistakesFlaggedRate)) (\(a.mistakesFlagged) of \(a.mistakes); \(a.mistakesFlaggedForReason) with the expected reason; missed: \(a.missedMistakes.isEmpty ? "none" : a.missedMistakes.joined(separator: ", "))) |",
                  "| personnummer exact among accepted pages | \(pct(a.personnummerExactAmongAccepted)) (\(a.acceptedPersonnummerExact) of \(a.acceptedPages)) |",
                  "| digit accuracy, values read (personnummer, telefon, datum) | \(pct(all.accuracy)) (\(all.correct) of \(all.digits)) |",
                  "| same personnummer cells: Blankett / Tesseract by cell / Tesseract by line | \(pct(peer.blankettDigitAccuracy)) / \(pct(peer.cellDigitAccuracy)) / \(pct(peer.lineDigitAccuracy)) (\(peer.digits) digits) |",
                  "| pages/s, 1 thread → \(readMany.threads) threads | \(num(readOne.pagesPerSecond)) → \(num(readMany.pagesPerSecond)) (×\(num(scaling, 2))) |",
                  "| reading ÷ PNG decoding alone, 1 / \(readMany.threads) threads | \(num(decodeOnlyRatioOne, 2)) / \(num(decodeOnlyRatioMany, 2)) |",
                  "| the register: members, memory, load, personnummer rules per page (1 thread) | " + (campaign.map { "\($0.members), \(num($0.megabytes, 2)) MB, \(num($0.loadMs, 0)) ms, \(num(personnummerMs, 3)) ms" } ?? "none; personnummer rules \(num(personnummerMs, 3)) ms per page") + " |",
                  "| peak RSS | \(peakRSSMegabytes.map { num($0) + " MB" } ?? "?")\(peakCoversReadingOnly ? " (decoding and reading)" : " (whole process)") |",
                  "", "## Status: expected (rows) against read (columns)", "",
                  "| expected | " + AccuracyTally.statuses.joined(separator: " | ") + " |",
                  "| --- |" + String(repeating: " ---: |", count: AccuracyTally.statuses.count)]
        for expected in AccuracyTally.statuses {
            md.append("| \(expected) | " + AccuracyTally.statuses.map { String(a.statusMatrix[expected]?[$0] ?? 0) }.joined(separator: " | ") + " |")
        }
        md += ["", "## Fields", "",
               "Fields of the pages that should be read (expected accepted or needs_verification). Passed on as certain: the value must never be wrong. Delivered flagged: a doubtful value whose cost lets the form through, marked unverified.", "",
               "| field | certain, right | certain, **WRONG** | flagged, right | flagged, wrong | to verification | page rejected |",
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name in a.fieldOrder {
            let t = a.fields[name]!
            md.append("| \(name) | \(t.acceptedRight) | \(t.acceptedWrong) | \(t.flaggedRight) | \(t.flaggedWrong) | \(t.verification) | \(t.rejected) |")
        }
        md += ["", "## Wrong acceptances", ""]
        if a.wrongAcceptances.isEmpty {
            md.append("None.")
        } else {
            md += ["| file | field | page | written | read | differs at | confidence |", "| --- | --- | --- | --- | --- | --- | ---: |"]
            for w in a.wrongAcceptances {
                let written = (Self.shown(w.written, field: w.field) ?? "(nothing)") + (w.expected == nil ? " (must be flagged)" : "")
                md.append("| \(w.file) | \(w.field) | \(w.pageStatus) | \(written) | \(Self.shown(w.read, field: w.field)!) | \(w.positions.map(String.init).joined(separator: ", ")) | \(num(100 * w.confidence, 3)) % |")
            }
        }
        if !a.refusedButAccepted.isEmpty { md += ["", "Accepted though they must be refused: " + a.refusedButAccepted.joined(separator: ", ")] }
        md += digitSection() + curveSection(chartFile: chartFile) + uncheckedCurvesSection() + operatingCurveSection() + peerSection() + throughputSection()
        return md.joined(separator: "\n") + "\n"
    }

    private func digitSection() -> [String] {
        var md = ["", "## Digit accuracy of the values read", "",
                  "Position by position, each written cell against the value the reader gave, over fields whose truth is valid on pages it did not refuse. A field without a value counts all its digits wrong.", "",
                  "| field | digits | right | accuracy | fields without a value |", "| --- | ---: | ---: | ---: | ---: |"]
        for name in AccuracyTally.digitFields {
            guard let t = accuracy.digits[name] else { continue }
            md.append("| \(name) | \(t.digits) | \(t.correct) | \(pct(t.accuracy)) | \(t.fieldsWithoutValue) of \(t.fields) |")
        }
        return md
    }

    private func curveSection(chartFile: String?) -> [String] {
        var md = ["", "## Error–reject curve, personnummer", "",
                  "Over \(curve.scores.count) personnummer fields of pages read; a field is accepted at threshold t when its confidence is at least t."]
        md += curveTable("personnummer")
        if let chartFile { md += ["", "![error–reject curve](\(chartFile))"] }
        return md
    }

    private func uncheckedCurvesSection() -> [String] {
        var md = ["", "## Error–reject, datum and telefon", "",
                  "No check digit protects these: one misread digit still gives a valid value, so their threshold is separate."]
        for field in ["datum", "telefon"] {
            md += ["", "### \(field) (\(curve(field).scores.count) fields)"] + curveTable(field)
        }
        return md
    }

    /// The curve of `field` as a table with the reader's threshold marked, and the suggestion.
    private func curveTable(_ field: String) -> [String] {
        let c = curve(field), current = threshold(field)
        var md = ["", "| threshold | accepted | wrong | wrong among accepted | predicted wrong (Σ 1 − conf.) | predicted rate | sent to verification | 95 % bound if none wrong |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for p in c.points(including: current) {
            let here = p.threshold == current ? " ← operating point" : ""
            md.append("| \(SVGChart.threshold(p.threshold))\(here) | \(p.accepted) | \(p.wrong) | \(pct(p.errorRate, 3)) | \(num(p.expectedWrong, 2)) | \(pct(p.expectedErrorRate, 4)) | \(pct(p.verificationShare)) | \(p.upperBoundIfNoErrors.map { pct($0, 3) } ?? "–") |")
        }
        if let t = c.suggestedThreshold {
            let p = c.point(at: t)
            md += ["", "Suggested threshold: **\(SVGChart.threshold(t))**, the smallest (in steps of 0.0001 from 0.5) with no wrong \(field) accepted in this run: \(p.accepted) accepted, \(pct(p.verificationShare)) to verification. An estimate bounded by the run's size: with \(p.accepted) accepted and 0 wrong, the error rate is below \(pct(p.upperBoundIfNoErrors ?? 1, 3)) (3/n) with 95 % confidence."]
        } else {
            md += ["", "No threshold up to 0.9999 accepts zero wrong \(field) in this run."]
        }
        if let t = c.threshold(predictingBelow: Self.wrongAcceptancesPerField) {
            let p = c.point(at: t)
            md += ["", "Smallest threshold at which the confidences predict fewer than 1 wrong \(field) in 10,000 fields read: **\(SVGChart.threshold(t))** (\(num(p.expectedWrong, 2)) predicted in \(p.fields), \(pct(p.verificationShare)) to verification). Read off this run's confidences: the committee re-read only the fields below the operating point, so a threshold other than it is confirmed by reading at it (`--accept-threshold`)."]
        } else {
            md += ["", "Even at 0.9999 the confidences predict 1 wrong \(field) in 10,000 fields read or more."]
        }
        return md
    }

    /// What the auto-accept target costs, against the criterion for the default thresholds.
    private var targetSummary: String {
        let target = pct(OperatingCurve.autoAcceptTarget, 0)
        guard let row = operatingCurve.row(accepting: OperatingCurve.autoAcceptTarget), let rate = row.rate else {
            return "\(target) is not reached even with every threshold at 0.5"
        }
        return "\(target) needs < \(sci(rate)) (\(num(rate / Self.wrongAcceptancesPerField, 0)) × the criterion): "
            + "\(pct(row.autoAcceptRate)) with \(row.wrongDigitFields) wrong digit fields"
    }

    private func operatingCurveSection() -> [String] {
        let c = operatingCurve
        var md = ["", "## Auto-accept against wrong acceptances, page by page", "",
                  "A form passes only when every required field does. Each row sets every digit field's threshold to the smallest at which the confidences predict fewer wrong acceptances per field read than the row's rate (– : not even 0.9999 does), or as named, and decides the pages again from the confidences as read. The row \"reaching \(pct(OperatingCurve.autoAcceptTarget, 0))\" is the strictest rate at which that share of the valid forms would pass (absent when not even every threshold at 0.5 gets there). The reader asks its committee only about fields doubtful at its own thresholds, so rows far from them are estimates; its own row is the run.", "",
                  "| thresholds | " + AccuracyTally.digitFields.joined(separator: " | ") + " | valid forms accepted | applicant mistakes passed | wrong digit fields passed | predicted wrong (Σ 1 − conf.) |",
                  "| --- |" + String(repeating: " ---: |", count: AccuracyTally.digitFields.count + 4)]
        for row in c.rows(reader: readerThresholds) {
            let thresholds = AccuracyTally.digitFields.map { row.thresholds[$0].flatMap { $0 }.map(SVGChart.threshold) ?? "–" }
            md.append("| \(row.label) | " + thresholds.joined(separator: " | ")
                      + " | \(pct(row.autoAcceptRate)) (\(row.validAccepted)) | \(row.mistakesAccepted) | \(row.wrongDigitFields) | \(num(row.predictedWrong, 2)) |")
        }
        let held = c.validHeldBy
        if !held.isEmpty {
            md += ["", "Valid forms sent to a person at the reader's thresholds, by the required fields that held them: "
                   + held.map { "\($0.fields) \($0.pages)" }.joined(separator: ", ") + "."]
        }
        return md
    }

    private func peerSection() -> [String] {
        let p = peer
        guard p.fields > 0 else { return ["", "## Tesseract peer on the same cells", "", "Not run: no valid form was read among the first \(peerFiles) files."] }
        return ["", "## Tesseract peer on the same cells", "",
                "The personnummer cells Blankett cut out (lines removed, paper white) of the valid forms it read among the first \(peerFiles) files: \(p.fields) fields, \(p.digits) written digits. Tesseract (swe, digits whitelisted) reads each written cell alone (single character) and all 12 cells side by side (single line; digit accuracy there is 1 − edit distance / digits). Capped because Tesseract takes tens of ms per call.", "",
                "| reader | digit accuracy | field accuracy (all digits right) | time |", "| --- | ---: | ---: | ---: |",
                "| Blankett (value read) | \(pct(p.blankettDigitAccuracy)) | \(pct(p.blankettFieldAccuracy)) | \(num(readOne.p50)) ms per page (p50) |",
                "| Tesseract, single character | \(pct(p.cellDigitAccuracy)) | \(pct(p.cellFieldAccuracy)) | \(num(p.msPerCell)) ms per cell |",
                "| Tesseract, single line | \(pct(p.lineDigitAccuracy)) | \(pct(p.lineFieldAccuracy)) | \(num(p.msPerLine)) ms per line |"]
    }

    private func throughputSection() -> [String] {
        var md = ["", "## Throughput", "",
                  "The same \(accuracy.pages) files, warm in the page cache, decoded alone and read in alternating blocks of 50, so that a drift in the machine's speed falls on both. PNG decoding alone is the floor: reading ÷ decoding is \(num(decodeOnlyRatioOne, 2)) on 1 thread and \(num(decodeOnlyRatioMany, 2)) on \(readMany.threads); \(readMany.threads) threads read ×\(num(scaling, 2)) as fast as 1.", "",
                  "| pass | threads | pages/s | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for (name, t) in [("PNG decode only", decodeOne), ("PNG decode only", decodeMany), ("read", readOne), ("read", readMany)] {
            md.append("| \(name) | \(t.threads) | \(num(t.pagesPerSecond)) | \(num(t.p50)) | \(num(t.p95)) | \(num(t.p99)) |")
        }
        md += ["", "Mean ms per stage, over the pages that reached it:", "",
               "| stage | 1 thread | \(readMany.threads) threads |", "| --- | ---: | ---: |"]
        for (stage, ms) in readOne.stageMeans {
            md.append("| \(stage) | \(num(ms, 2)) | \(num(readMany.stageMeans.first { $0.stage == stage }?.ms ?? 0, 2)) |")
        }
        md += ["", "Peak RSS \(peakRSSMegabytes.map { num($0) + " MB" } ?? "unknown")" + (peakCoversReadingOnly ? ", the high-water mark of the decoding and reading passes (reset after any synthesis, taken before the Tesseract peer)." : ", of the whole process.")]
        return md
    }
}

func load(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "?" }
func pct(_ x: Double, _ decimals: Int = 2) -> String { String(format: "%.\(decimals)f %%", 100 * x) }
func num(_ x: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", x) }
func sci(_ x: Double) -> String { x == 0 ? "0" : String(format: "%.1e", x) }

extension BenchRun {
    /// The error–reject curve of the personnummer as SVG, the operating point and the suggestion marked.
    public var chartSVG: String {
        let c = curve
        var marks = [SVGChart.Mark(label: "operating point, --accept-threshold \(SVGChart.threshold(acceptThreshold))",
                                   point: c.point(at: acceptThreshold), colour: "#c0392b")]
        if let t = c.suggestedThreshold {
            marks.append(SVGChart.Mark(label: "suggested \(SVGChart.threshold(t))", point: c.point(at: t), colour: "#1e8449"))
        }
        return SVGChart.errorReject(c.points(including: acceptThreshold), marks: marks,
                                    title: "personnummer: error–reject curve over \(c.scores.count) fields (\(source))")
    }
}
