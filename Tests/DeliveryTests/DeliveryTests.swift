import BlankettSupport
import ConvNet
import Delivery
import FieldRules
import FormReader
import FormTemplate
import Foundation
import PageImage
import QueueStores
import WorkQueue
import XCTest

final class DeliveryTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func testEachStatusLandsWhereItBelongsAndOnlyOnce() throws {
        var options = FormReader.Options(scanDate: CalendarDate("2025-11-20")!)
        options.keepDoubtfulFieldCrops = true
        let reader = try FormReader(template: try FormTemplate.load(Self.root.appendingPathComponent("Forms/pm7001/template.json").path),
                                    model: try ModelFile.read(Self.root.appendingPathComponent("Models/digits.bkn").path),
                                    options: options)
        let dir = NSTemporaryDirectory() + "/blankett-delivery-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StoreURL("sqlite:\(dir)/queue.sqlite").open()
        func deliver(_ name: String) throws -> (ReadResult, Delivery.Outcome) {
            let result = reader.read(path: Self.root.appendingPathComponent("SampleScans/\(name)").path)
            return (result, try Delivery.deliver(result, to: store, engineVersion: "test", modelSHA256: "m"))
        }

        let (accepted, first) = try deliver("scan-00003.png")   // a valid form
        XCTAssertEqual(accepted.status, .accepted)
        guard case .queued(.applications, let id) = first else { return XCTFail("\(first)") }
        XCTAssertEqual(try deliver("scan-00003.png").1, .alreadyQueued(.applications, id))
        let item = try store.show(id)
        XCTAssertEqual(item.reference.sha256, accepted.sha256)
        let content = try item.content()
        XCTAssertEqual(content["source_file"] as? String, "scan-00003.png")
        XCTAssertNotNil((content["fields"] as? [String: Any])?["personnummer"])

        let (doubtful, second) = try deliver("scan-00004.png")   // wrong check digit
        XCTAssertEqual(doubtful.status, .needsVerification)
        guard case .queued(.verification, let vid) = second else { return XCTFail("\(second)") }
        let crop = try XCTUnwrap(try store.attachments(vid)["personnummer"], "the doubtful field's picture")
        XCTAssertGreaterThan(try PNGCodec.decode(crop).width, 100)

        XCTAssertEqual(try deliver("scan-00015.png").1, .rejected(code: "not_png", message: "the data does not start with the PNG signature"))
        XCTAssertEqual(try store.counts()[.applications, .new] + store.counts()[.verification, .new], 2)
    }
}
