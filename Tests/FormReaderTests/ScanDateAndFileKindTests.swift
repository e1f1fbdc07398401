// The scan date belongs to each read, not to the reader: one reader, kept running past midnight,
// judges the date of signing against the day it is given. And what is not a regular file is
// refused at once with a typed error, never opened (a FIFO would block open(2) forever).
import BlankettSupport
import FieldRules
import FormReader
import Foundation
import SystemPackage
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ScanDateAndFileKindTests: XCTestCase {
    static let sample = SampleScanTests.root.appendingPathComponent("SampleScans/scan-00001.png").path   // signed 2025-07-13

    func testTheScanDateIsGivenPerRead() throws {
        let reader = try SampleScanTests.reader()   // its options say 2025-11-20
        let path = FilePath(Self.sample)
        let dayBefore = reader.read(path: path, scanDate: CalendarDate("2025-07-12")!)
        XCTAssertTrue(dayBefore.reasons.contains("datum_after_scan_date"), "\(dayBefore.reasons)")
        let sameDay = reader.read(path: path, scanDate: CalendarDate("2025-07-13")!)
        XCTAssertFalse(sameDay.reasons.contains("datum_after_scan_date"), "\(sameDay.reasons)")
        XCTAssertFalse(reader.read(path: path, scanDate: CalendarDate("2026-01-01")!).reasons.contains("datum_after_scan_date"))
        XCTAssertTrue(reader.read(path: path, scanDate: CalendarDate("2025-07-12")!).reasons.contains("datum_after_scan_date"),
                      "a later read does not keep an earlier date")
    }

    func testTodayIsTheCalendarDayOfTheMoment() {
        let stockholm = TimeZone(identifier: "Europe/Stockholm")!
        let beforeMidnight = Date(timeIntervalSince1970: 1_763_679_540)   // 2025-11-20T22:59:00Z, 23:59 in Stockholm
        XCTAssertEqual(CalendarDate.today(at: beforeMidnight, in: stockholm), CalendarDate("2025-11-20"))
        XCTAssertEqual(CalendarDate.today(at: beforeMidnight + 120, in: stockholm), CalendarDate("2025-11-21"))
    }

    func testWhatIsNotARegularFileIsRefusedWithoutBlocking() throws {
        let reader = try SampleScanTests.reader()
        let folder = NSTemporaryDirectory() + "/blankett-kinds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertEqual(mkfifo(folder + "/fifo.png", 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.png", withDestinationPath: Self.sample)
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.png", withDestinationPath: folder + "/nothing")
        let date = CalendarDate("2025-11-20")!
        XCTAssertEqual(reader.read(path: FilePath(folder + "/fifo.png"), scanDate: date).error?.code, "not_a_regular_file")
        XCTAssertEqual(reader.read(path: FilePath("/dev/zero"), scanDate: date).error?.code, "not_a_regular_file")
        XCTAssertEqual(reader.read(path: FilePath(folder + "/dangling.png"), scanDate: date).error?.code, "file_not_found")
        XCTAssertEqual(reader.read(path: FilePath(folder + "/link.png"), scanDate: date).status, .accepted,
                       "`read` follows a link to a scan")
    }

    func testANameThatIsNotUTF8IsReadAndShownEscaped() throws {
        let reader = try SampleScanTests.reader()
        let folder = NSTemporaryDirectory() + "/blankett-latin1-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = FilePath(bytes: Array((folder + "/sk").utf8) + [0xE5] + Array("p\n19340512-1231.png".utf8))
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: Self.sample))
        let fd = path.withPlatformString { open($0, O_WRONLY | O_CREAT | O_EXCL, 0o600) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let result = reader.read(path: path, scanDate: CalendarDate("2025-11-20")!)
        XCTAssertEqual(result.status, .accepted)
        XCTAssertEqual(result.file, "sk\\xE5p\\n19340512-****.png")
        XCTAssertFalse(result.summary.contains("\n"))
    }
}
