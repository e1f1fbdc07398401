// The outputs of a run: the SVG is well-formed and marks the operating point, the JSON holds
// every figure under its key, and no output shows a personnummer unmasked.
import Bench
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class ReportTests: XCTestCase {
    static var run: BenchRun {
        let timing = { (k: Int, ms: Double) in
            PassTiming(threads: k, seconds: 6 * ms / 1000 / Double(k), latencies: Array(repeating: ms, count: 6),
                       stages: Array(repeating: [("decode", ms / 2), ("classify", ms / 2)], count: 6))
        }
        var peer = PeerTally()
        peer.add(written: Pages.pnCells, peer: PeerReading(cellAnswers: Pages.pnCells, line: Pages.pn, cellMs: 360, lineMs: 60),
                 blankett: Pages.pn)
        return BenchRun(source: "6 hand-made pages", scanDate: "2025-11-20", acceptThreshold: 0.98, uncheckedAcceptThreshold: 0.999, markAcceptThreshold: 0.98,
                        machine: .current(),
                        accuracy: Pages.tally, decodeOne: timing(1, 10), decodeMany: timing(2, 10),
                        readOne: timing(1, 40), readMany: timing(2, 40), peer: peer, peerFiles: 6,
                        peakRSSMegabytes: 120, loadAfterReading: 1, peakCoversReadingOnly: true)
    }

    func testSVGIsWellFormedAndMarksTheOperatingPoint() {
        let svg = Self.run.chartSVG
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.contains("<polyline"))
        XCTAssertTrue(svg.contains("operating point, --accept-threshold 0.98"))
        XCTAssertTrue(svg.contains("suggested 0.9951"))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "SVG must parse as XML")
    }

    func testJSONHoldsEveryHeadlineFigure() throws {
        let run = Self.run
        let json = run.json
        XCTAssertTrue(JSONSerialization.isValidJSONObject(json))
        for key in ["pages", "pages_per_s_1t", "pages_per_s", "threads", "decode_only_ratio_1t", "decode_only_ratio", "peak_rss_mb",
                    "wrong_acceptances", "auto_accept_rate", "mistakes_flagged", "personnummer_exact_among_accepted",
                    "digit_accuracy", "tesseract_digit_accuracy", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99",
                    "stage_ms_mean", "suggested_threshold", "operating_curve", "valid_forms_held_by"] {
            XCTAssertNotNil(json[key], key)
        }
        XCTAssertEqual(json["wrong_acceptances"] as? Int, 2)
        XCTAssertEqual(json["pages_per_s_1t"] as? Double ?? 0, 25, accuracy: 1e-9)
        XCTAssertEqual(json["decode_only_ratio"] as? Double ?? 0, 4, accuracy: 1e-9)
        // b.png's wrong personnummer is the highest wrong confidence (0.995); d.png's missing signature is another field.
        XCTAssertEqual(json["suggested_threshold"] as? Double ?? 0, 0.9951, accuracy: 1e-12)
        XCTAssertEqual((json["suggested_threshold_by_field"] as? [String: Any])?["datum"] as? Double, 0.5)
        XCTAssertEqual(((json["error_reject"] as? [String: Any])?["datum"] as? [Any])?.count, ErrorRejectCurve.thresholds.count)
    }

    func testNoOutputShowsAPersonnummer() throws {
        let run = Self.run
        let json = String(decoding: try JSONSerialization.data(withJSONObject: run.json), as: UTF8.self)
        let markdown = run.markdown(chartFile: "x.svg")
        for text in [json, markdown, run.chartSVG] {
            XCTAssertFalse(text.contains(Pages.pn))
            XCTAssertFalse(text.contains("193405129801"))
            XCTAssertFalse(text.contains("9876"))
        }
        XCTAssertTrue(markdown.contains("19340512-****"))
        XCTAssertTrue(markdown.contains("| b.png | personnummer | accepted | 19340512-**** | 19340512-**** | 11, 12 |"))
        XCTAssertTrue(markdown.contains("![error–reject curve](x.svg)"))
        // Each curve marks the threshold the reader applied to its field (0.999 is on the grid already).
        XCTAssertTrue(markdown.contains("| 0.98 ← operating point | 3 | 1 |"))
        XCTAssertTrue(markdown.contains("### datum (4 fields)"))
        XCTAssertTrue(markdown.contains("| 0.999 ← operating point | 0 | 0 |"))
    }
}
