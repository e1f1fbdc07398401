// Everything one benchmark run measured, and its JSON form: every figure under a stable
// snake_case key, so that results can be compared run to run by a script.
//
// Why no personnummer in the JSON: the file is meant to be committed and shared. Wrong
// acceptances are listed by file, field and differing positions; a personnummer value appears
// only masked (ÅÅÅÅMMDD-****), as in every other output meant for people.
import FieldRules
import Foundation

public struct BenchRun: Sendable {
    /// What was read, e.g. "2000 synthetic pages, seed 20261124".
    public var source: String
    public var scanDate: String
    public var acceptThreshold: Double
    /// The reader's threshold for digit fields without a check digit (datum, telefon).
    public var uncheckedAcceptThreshold: Double
    /// The reader's threshold for the uttag boxes and the signature.
    public var markAcceptThreshold: Double
    public var machine: Machine
    public var accuracy: AccuracyTally
    public var decodeOne: PassTiming, decodeMany: PassTiming
    public var readOne: PassTiming, readMany: PassTiming
    public var peer: PeerTally
    /// The peer read the personnummer of valid forms among the first `peerFiles` files.
    public var peerFiles: Int
    public var peakRSSMegabytes: Double?
    /// The 1-minute load average right after the reading passes: other work during them.
    public var loadAfterReading: Double?
    /// The peak was reset after any synthesis and taken before the Tesseract peer, so it covers
    /// decoding and reading only.
    public var peakCoversReadingOnly: Bool
    /// Set when the run read a campaign with its register.
    public var campaign: CampaignFigures?

    public init(source: String, scanDate: String, acceptThreshold: Double, uncheckedAcceptThreshold: Double, markAcceptThreshold: Double,
                machine: Machine, accuracy: AccuracyTally,
                decodeOne: PassTiming, decodeMany: PassTiming, readOne: PassTiming, readMany: PassTiming,
                peer: PeerTally, peerFiles: Int, peakRSSMegabytes: Double?, loadAfterReading: Double?, peakCoversReadingOnly: Bool,
                campaign: CampaignFigures? = nil) {
        self.source = source
        self.scanDate = scanDate
        self.acceptThreshold = acceptThreshold
        self.uncheckedAcceptThreshold = uncheckedAcceptThreshold
        self.markAcceptThreshold = markAcceptThreshold
        self.machine = machine
        self.accuracy = accuracy
        self.decodeOne = decodeOne
        self.decodeMany = decodeMany
        self.readOne = readOne
        self.readMany = readMany
        self.peer = peer
        self.peerFiles = peerFiles
        self.peakRSSMegabytes = peakRSSMegabytes
        self.loadAfterReading = loadAfterReading
        self.peakCoversReadingOnly = peakCoversReadingOnly
        self.campaign = campaign
    }

    /// The datum fields delivered flagged, among the datum fields of pages read, and wrong among them.
    public var flaggedDates: (flagged: Int, wrong: Int, read: Int) {
        let t = accuracy.fields["datum"] ?? FieldTally()
        return (t.flagged, t.flaggedWrong, t.total - t.rejected)
    }

    /// Mean ms per page of the personnummer's rules (with a register, mostly the register's sum), on one thread.
    public var personnummerMs: Double { readOne.stageMeans.first { $0.stage == "personnummer" }?.ms ?? 0 }

    public func curve(_ field: String) -> ErrorRejectCurve { ErrorRejectCurve(accuracy.scores[field] ?? []) }
    public var curve: ErrorRejectCurve { curve("personnummer") }
    /// The threshold the reader applied to `field`.
    public func threshold(_ field: String) -> Double { field == "personnummer" ? acceptThreshold : uncheckedAcceptThreshold }
    public var operatingCurve: OperatingCurve {
        OperatingCurve(pages: accuracy.pageScores,
                       curves: Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map { ($0, curve($0)) }))
    }
    /// The thresholds the reader applied, per digit field.
    public var readerThresholds: [String: Double] {
        Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map { ($0, threshold($0)) })
    }
    /// Reading time over decoding time for the same files, on one thread and on all.
    public var decodeOnlyRatioOne: Double { ratio(decodeOne.pagesPerSecond, readOne.pagesPerSecond) }
    public var decodeOnlyRatioMany: Double { ratio(decodeMany.pagesPerSecond, readMany.pagesPerSecond) }
    public var scaling: Double { ratio(readMany.pagesPerSecond, readOne.pagesPerSecond) }

    /// The bound on wrong acceptances: the default thresholds must keep the predicted
    /// rate of each digit field below it.
    public static let wrongAcceptancesPerField = 1e-4

    /// Wrong acceptances per field read that the confidences predict at the reader's thresholds
    /// (Σ 1 − confidence over the accepted, over all fields read): what "below 1 in 10,000 fields"
    /// is judged by, since a run of 2,000 pages cannot show so small a rate by counting.
    public func predictedWrongPerField(_ field: String) -> Double {
        let point = curve(field).point(at: threshold(field))
        return point.fields > 0 ? point.expectedWrong / Double(point.fields) : 0
    }

    /// A value for people and for the JSON: a personnummer masked, anything else as it is.
    static func shown(_ value: String?, field: String) -> String? {
        guard let value else { return nil }
        return field == "personnummer" ? Personnummer.masked(value.compactMap(\.wholeNumberValue)) : value
    }

    public var json: [String: Any] {
        let a = accuracy, current = curve.point(at: acceptThreshold)
        var out: [String: Any] = [
            "source": source, "pages": a.pages, "scan_date": scanDate, "accept_threshold": acceptThreshold,
            "accept_threshold_unchecked": uncheckedAcceptThreshold, "accept_threshold_marks": markAcceptThreshold,
            "predicted_wrong_per_field": Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map { ($0, predictedWrongPerField($0)) }),
            "machine": ["cores": machine.cores, "cpu": machine.cpu, "date": machine.date,
                        "load_average_at_start": machine.loadAverage.map { $0 as Any } ?? NSNull(),
                        "load_average_after_reading": loadAfterReading.map { $0 as Any } ?? NSNull()] as [String: Any],
            "status_matrix": a.statusMatrix,
            "fields": Dictionary(uniqueKeysWithValues: a.fields.map { name, t in
                (name, ["accepted_right": t.acceptedRight, "accepted_wrong": t.acceptedWrong,
                        "flagged_right": t.flaggedRight, "flagged_wrong": t.flaggedWrong,
                        "verification": t.verification, "rejected": t.rejected] as [String: Any])
            }),
            "dates_flagged": flaggedDates.flagged, "dates_flagged_wrong": flaggedDates.wrong, "dates_read": flaggedDates.read,
            "outside_register": a.outsideRegister, "outside_register_to_person": a.outsideRegisterToPerson,
            "missed_outside_register": a.missedOutsideRegister,
            "personnummer_ms_per_page_1t": personnummerMs,
            "wrong_acceptances": a.wrongAcceptances.count,
            "wrong_acceptances_on_accepted_pages": a.wrongAcceptances.filter { $0.pageStatus == "accepted" }.count,
            "wrong_acceptance_details": a.wrongAcceptances.map { w -> [String: Any] in
                ["file": w.file, "field": w.field, "page_status": w.pageStatus, "positions": w.positions,
                 "confidence": w.confidence, "should_be_flagged": w.expected == nil,
                 "written": Self.shown(w.written, field: w.field) ?? NSNull(), "read": Self.shown(w.read, field: w.field)!]
            },
            "refused_files_accepted": a.refusedButAccepted,
            "valid_pages": a.validPages, "auto_accept_rate": a.autoAcceptRate,
            "valid_read": a.validRead, "valid_read_rate": a.validReadRate, "registered_by": a.registeredBy,
            "mistakes": a.mistakes, "mistakes_flagged": a.mistakesFlagged, "mistakes_flagged_rate": a.mistakesFlaggedRate,
            "mistakes_flagged_for_expected_reason": a.mistakesFlaggedForReason, "missed_mistakes": a.missedMistakes,
            "accepted_pages": a.acceptedPages, "personnummer_exact_among_accepted": a.personnummerExactAmongAccepted,
            "digit_accuracy": a.allDigits.accuracy,
            "digit_accuracy_by_field": Dictionary(uniqueKeysWithValues: a.digits.map { ($0, $1.accuracy) }),
            "fields_without_value": a.allDigits.fieldsWithoutValue,
            "error_reject": Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map { field in
                (field, curve(field).points(including: threshold(field)).map {
                    ["threshold": $0.threshold, "accepted": $0.accepted, "wrong": $0.wrong, "error_rate": $0.errorRate,
                     "expected_wrong": $0.expectedWrong, "expected_error_rate": $0.expectedErrorRate,
                     "verification_share": $0.verificationShare] as [String: Any]
                })
            }),
            "suggested_threshold_by_field": Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map {
                ($0, curve($0).suggestedThreshold.map { $0 as Any } ?? NSNull())
            }),
            "threshold_predicting_below_1e-4_by_field": Dictionary(uniqueKeysWithValues: AccuracyTally.digitFields.map {
                ($0, curve($0).threshold(predictingBelow: Self.wrongAcceptancesPerField).map { $0 as Any } ?? NSNull())
            }),
            "operating_curve": operatingCurve.rows(reader: readerThresholds).map { row -> [String: Any] in
                ["label": row.label, "predicted_rate_below": row.rate.map { $0 as Any } ?? NSNull(),
                 "auto_accept_rate": row.autoAcceptRate, "valid_accepted": row.validAccepted,
                 "mistakes_accepted": row.mistakesAccepted, "wrong_digit_fields": row.wrongDigitFields,
                 "predicted_wrong": row.predictedWrong,
                 "thresholds": row.thresholds.mapValues { $0.map { $0 as Any } ?? NSNull() }]
            },
            "valid_forms_held_by": Dictionary(uniqueKeysWithValues: operatingCurve.validHeldBy.map { ($0.fields, $0.pages) }),
            "operating_point": ["threshold": acceptThreshold, "error_rate": current.errorRate,
                                "verification_share": current.verificationShare] as [String: Any],
            "peer_files": peerFiles, "peer_fields": peer.fields, "peer_digits": peer.digits,
            "tesseract_digit_accuracy": peer.cellDigitAccuracy, "tesseract_field_accuracy": peer.cellFieldAccuracy,
            "tesseract_line_digit_accuracy": peer.lineDigitAccuracy, "tesseract_line_field_accuracy": peer.lineFieldAccuracy,
            "tesseract_ms_per_cell": peer.msPerCell, "tesseract_ms_per_line": peer.msPerLine,
            "blankett_digit_accuracy_peer_sample": peer.blankettDigitAccuracy,
            "blankett_field_accuracy_peer_sample": peer.blankettFieldAccuracy,
            "threads": readMany.threads, "pages_per_s_1t": readOne.pagesPerSecond, "pages_per_s": readMany.pagesPerSecond,
            "scaling": scaling, "decode_only_pages_per_s_1t": decodeOne.pagesPerSecond,
            "decode_only_pages_per_s": decodeMany.pagesPerSecond,
            "decode_only_ratio_1t": decodeOnlyRatioOne, "decode_only_ratio": decodeOnlyRatioMany,
            "latency_ms_p50": readMany.p50, "latency_ms_p95": readMany.p95, "latency_ms_p99": readMany.p99,
            "latency_ms_p50_1t": readOne.p50, "latency_ms_p95_1t": readOne.p95, "latency_ms_p99_1t": readOne.p99,
            "stage_ms_mean": Dictionary(uniqueKeysWithValues: readMany.stageMeans.map { ($0.stage, $0.ms) }),
            "stage_ms_mean_1t": Dictionary(uniqueKeysWithValues: readOne.stageMeans.map { ($0.stage, $0.ms) }),
            "peak_rss_covers_reading_only": peakCoversReadingOnly,
        ]
        out["peak_rss_mb"] = peakRSSMegabytes ?? NSNull()
        out["campaign"] = campaign?.json ?? NSNull()
        let suggested = curve.suggestedThreshold
        out["suggested_threshold"] = suggested ?? NSNull()
        out["suggested_threshold_error_upper_bound_95"] = suggested.flatMap { curve.point(at: $0).upperBoundIfNoErrors } ?? NSNull()
        return out
    }
}
