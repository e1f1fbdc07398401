// A clerk's work over the station's router: settle once however often Enter is pressed, key a
// disagreeing value and settle on the second keying or hand the form on, return a form, skip it,
// and ask the live check — each ending in the store, with its audit trail.
import BlankettSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VerifyStation
import WorkQueue
import XCTest

final class StationFlowTests: XCTestCase {
    /// A valid number neither the machine nor anyone else read.
    static let otherNumber = "193403211232"

    private static func claim(_ browser: Browser, _ name: String) async throws {
        _ = try await browser.logIn(name)
        try await browser.get("/")
        _ = try await browser.post("/next")
        try await browser.get("/items/\(try XCTUnwrap(browser.heldItem))")
    }

    func testSettlingOpensTheNextFormAndHappensOnce() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            try await Self.claim(browser, "anna")
            let form = ["f.personnummer": StationFixture.personnummer, "keystrokes": #"{"total":13,"personnummer":12}"#]
            let settled = try await browser.post("/items/1/settle", form)
            XCTAssertEqual(settled.status, .seeOther)
            XCTAssertEqual(settled.location, "/items/2", "Enter settles and opens the next form")
            // The same submit again (a double press, a reload): still one application.
            let again = try await browser.post("/items/1/settle", form)
            XCTAssertEqual(again.location, "/items/2")

            let applications = try station.store.list(queue: .applications, status: nil, limit: 10)
            XCTAssertEqual(applications.count, 1)
            let content = try XCTUnwrap(applications.first).content()
            XCTAssertEqual(content["source"] as? String, "verified")
            XCTAssertEqual(content["verified_by"] as? String, "anna")
            XCTAssertEqual(((content["fields"] as? [String: Any])?["personnummer"] as? [String: Any])?["value"] as? String,
                           StationFixture.personnummer)
            XCTAssertEqual(try station.store.show(1).status, .successful)
            let trail = try station.store.audit(1)
            XCTAssertEqual(trail.map(\.event), ["settled"])
            let detail = try trail[0].details()
            XCTAssertEqual((detail["confirmations"] as? [String: String])?["personnummer"], "machine")
            XCTAssertEqual((detail["keystrokes"] as? [String: Int])?["total"], 13)
            XCTAssertEqual((detail["keyed"] as? [String: String])?["personnummer"], StationFixture.personnummer)
        }
    }

    func testADisagreementIsKeyedAgainAndTwiceGoesToAnotherClerk() async throws {
        let station = try StationFixture.station(items: 1, in: try folder())
        try await station.app.test(.router) { client in
            let anna = Browser(client)
            try await Self.claim(anna, "anna")
            let first = try await anna.post("/items/1/settle", ["f.personnummer": Self.otherNumber])
            XCTAssertEqual(first.status, .ok)
            XCTAssertTrue(first.body.contains("agrees with no other reading"), first.body)
            XCTAssertFalse(first.body.contains("value=\"\(Self.otherNumber)\""), "the re-keying starts empty")
            let second = try await anna.post("/items/1/settle", ["f.personnummer": Self.otherNumber])
            XCTAssertEqual(second.location, "/?handed=1")
            let item = try station.store.show(1)
            XCTAssertEqual(item.status, .new)
            XCTAssertEqual(item.notFor, "anna")
            let v1 = try await anna.post("/next").location
            XCTAssertEqual(v1, "/?done=1", "anna never gets it back")

            // Bo reads what Anna read: two independent readings agree.
            let bo = Browser(client)
            try await Self.claim(bo, "bo")
            XCTAssertEqual(bo.heldItem, 1)
            let settled = try await bo.post("/items/1/settle", ["f.personnummer": Self.otherNumber])
            XCTAssertEqual(settled.location, "/?done=1")
            XCTAssertEqual(try station.store.audit(1).map(\.event), ["disagreement", "second_operator", "settled"])
            let detail = try station.store.audit(1)[2].details()
            XCTAssertEqual((detail["confirmations"] as? [String: String])?["personnummer"], "operator:anna")
            XCTAssertEqual(try station.store.list(queue: .applications, status: nil, limit: 10).count, 1)
        }
    }

    func testADisagreementThenAgreementSettles() async throws {
        let station = try StationFixture.station(items: 1, in: try folder())
        try await station.app.test(.router) { client in
            let anna = Browser(client)
            try await Self.claim(anna, "anna")
            let v1 = try await anna.post("/items/1/settle", ["f.personnummer": Self.otherNumber]).status
            XCTAssertEqual(v1, .ok)
            // Looking again, she keys what the machine's second reading says.
            let v2 = try await anna.post("/items/1/settle", ["f.personnummer": "191212121220"]).location
            XCTAssertEqual(v2, "/?done=1")
            XCTAssertEqual(try station.store.audit(1).map(\.event), ["disagreement", "settled"])
        }
    }

    func testInvalidValuesAreShownAndNothingIsStored() async throws {
        let station = try StationFixture.station(items: 1, in: try folder())
        try await station.app.test(.router) { client in
            let anna = Browser(client)
            try await Self.claim(anna, "anna")
            let page = try await anna.post("/items/1/settle", ["f.personnummer": "191212121213"])
            XCTAssertEqual(page.status, .unprocessableContent)
            XCTAssertTrue(page.body.contains("the check digit does not match"))
            XCTAssertEqual(try station.store.audit(1).count, 0)
            XCTAssertEqual(try station.store.show(1).status, .inProgress)
        }
    }

    func testReturnSkipRenewAndTheLiveCheck() async throws {
        let station = try StationFixture.station(items: 3, in: try folder())
        try await station.app.test(.router) { client in
            let anna = Browser(client)
            try await Self.claim(anna, "anna")
            // The live check is the server's FieldRules.
            var headers: HTTPFields = [.contentType: "application/json", .cookie: anna.cookieHeader]
            headers[HTTPField.Name("X-CSRF-Token")!] = anna.csrf
            let checked = try await client.execute(uri: "/items/1/check", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"field":"personnummer","value":"191212121213"}"#))
            let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: checked.body)) as? [String: Any])
            XCTAssertEqual(answer["valid"] as? Bool, false)
            XCTAssertEqual((answer["problems"] as? [[String: String]])?.first?["code"], "personnummer_check_digit")
            let renewed = try await client.execute(uri: "/items/1/renew", method: .post, headers: headers)
            XCTAssertEqual(renewed.status, .ok)

            let returned = try await anna.post("/items/1/return", ["reason": "no_signature"])
            XCTAssertEqual(returned.location, "/items/2")
            XCTAssertEqual(try station.store.show(1).status, .returned)
            let v2 = try await anna.post("/items/2/return", ["reason": "because"]).status
            XCTAssertEqual(v2, .unprocessableContent)

            try await anna.get("/items/2")
            let skipped = try await anna.post("/items/2/skip")
            XCTAssertEqual(skipped.location, "/items/3", "the skipped form is passed over for this session")
            let item = try station.store.show(2)
            XCTAssertEqual(item.status, .new)
            XCTAssertNil(item.worker)
            XCTAssertEqual(try station.store.audit(2).map(\.event), ["skipped"])
            XCTAssertEqual(try station.store.audit(1).map(\.event), ["returned"])
            XCTAssertTrue(try station.store.export(queue: .verification, format: .jsonl).contains(#""status":"Returned""#))
        }
    }
}

extension Browser {
    /// The item the last redirect opened.
    var heldItem: Int64? { lastItem }
}
