// What the station refuses, over its router: no session, no CSRF token, another clerk's item,
// pictures of what is not yours, HTML in a file name, and log-ins that tell names apart or may be
// guessed at full speed.
import BlankettSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VerifyStation
import WorkQueue
import XCTest

final class StationSecurityTests: XCTestCase {
    func testNoSessionIsSentToLogIn() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            for uri in ["/", "/items/1", "/items/1/pictures/personnummer"] {
                let page = try await browser.get(uri)
                XCTAssertEqual(page.status, .found, uri)
                XCTAssertEqual(page.location, "/login", uri)
            }
            let v1 = try await browser.post("/next", csrf: "").status
            XCTAssertEqual(v1, .unauthorized)
            let v2 = try await browser.post("/items/1/renew", csrf: "").status
            XCTAssertEqual(v2, .unauthorized)
            // Security headers on every answer, the log-in page included.
            let login = try await browser.get("/login")
            XCTAssertTrue(login.headers[.contentSecurityPolicy]?.contains("script-src 'self'") ?? false)
            XCTAssertEqual(login.headers[.cacheControl], "no-store")
            XCTAssertTrue(login.headers[values: .setCookie].allSatisfy { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
        }
    }

    func testAPostWithoutItsCSRFTokenIsRefused() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            // The log-in form has its own token.
            try await browser.get("/login")
            let v3 = try await browser.post("/login", ["name": "anna", "password": StationFixture.password], csrf: "").status
            XCTAssertEqual(v3, .forbidden)
            let loggedIn = try await browser.logIn("anna")
            XCTAssertEqual(loggedIn.status, .seeOther)
            XCTAssertTrue(loggedIn.headers[values: .setCookie].contains { $0.hasPrefix("blankett_session=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
            try await browser.get("/")
            let v4 = try await browser.post("/next", csrf: "").status
            XCTAssertEqual(v4, .forbidden)
            let v5 = try await browser.post("/next", csrf: String(repeating: "0", count: 64)).status
            XCTAssertEqual(v5, .forbidden)
            XCTAssertEqual(try station.store.counts()[.verification, .inProgress], 0, "a refused POST changed nothing")
            let next = try await browser.post("/next")
            XCTAssertEqual(next.status, .seeOther)
            XCTAssertEqual(next.location, "/items/1")
        }
    }

    func testAnotherClerksItemIsAConflictAndItsPicturesAreNotFound() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let anna = Browser(client), bo = Browser(client)
            _ = try await anna.logIn("anna")
            _ = try await bo.logIn("bo")
            try await anna.get("/")
            let v6 = try await anna.post("/next").location
            XCTAssertEqual(v6, "/items/1")
            try await bo.get("/")
            let v7 = try await bo.post("/next").location
            XCTAssertEqual(v7, "/items/2", "Next never hands out a held item")

            let v8 = try await bo.get("/items/1").status
            XCTAssertEqual(v8, .conflict)
            let v9 = try await bo.post("/items/1/settle", ["f.personnummer": StationFixture.personnummer]).status
            XCTAssertEqual(v9, .conflict)
            let v10 = try await bo.post("/items/1/skip").status
            XCTAssertEqual(v10, .conflict)
            let v11 = try await bo.post("/items/1/renew").status
            XCTAssertEqual(v11, .conflict)
            XCTAssertEqual(try station.store.show(1).worker, "anna")

            for uri in ["/items/1/pictures/personnummer", "/items/3/pictures/personnummer", "/items/0/pictures/page",
                        "/items/-1/pictures/page", "/items/abc/pictures/page", "/items/2/pictures/..%2F..%2Fqueue.sqlite",
                        "/items/2/pictures/%2e%2e", "/items/2/pictures/nothing", "/items/99999999999999999999/pictures/page"] {
                let v12 = try await bo.get(uri).status
                XCTAssertEqual(v12, .notFound, uri)
            }
            let own = try await bo.get("/items/2/pictures/personnummer")
            XCTAssertEqual(own.status, .ok)
            XCTAssertEqual(own.headers[.contentType], "image/png")
        }
    }

    func testAFileNameWithHTMLIsShownAsText() async throws {
        let name = "<script>alert('x')</script><img src=x onerror=alert(1)>.png"
        let station = try StationFixture.station(items: 1, file: name, in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.logIn("anna")
            try await browser.get("/")
            _ = try await browser.post("/next")
            let page = try await browser.get("/items/1")
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.body.contains("<script>alert"), "the name was not escaped")
            XCTAssertFalse(page.body.contains("<img src=x"))
            XCTAssertTrue(page.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), page.body)
            XCTAssertFalse(page.body.contains("<title>Item 1 · ") && page.body.contains(StationFixture.personnummer + "</title>"))
            XCTAssertFalse(page.body.contains("value=\"\(StationFixture.personnummer)\""), "a blind field shows no value")
        }
    }

    func testAWrongPasswordAnswersAsAnUnknownName() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            func attempt(_ name: String) async throws -> (Browser.Page, Int) {
                let before = station.checks.count
                let browser = Browser(client)
                try await browser.get("/login")
                let page = try await browser.post("/login", ["name": name, "password": "not the password"])
                return (page, station.checks.count - before)
            }
            let (wrong, wrongChecks) = try await attempt("anna")
            let (unknown, unknownChecks) = try await attempt("nobody")
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertEqual(unknown.status, wrong.status)
            // The same page but for the fresh log-in token; the same headers; one bcrypt check each.
            func normalized(_ page: Browser.Page) -> String {
                page.body.replacingOccurrences(of: #"[0-9a-f]{64}"#, with: "TOKEN", options: .regularExpression)
            }
            XCTAssertEqual(normalized(wrong), normalized(unknown))
            XCTAssertTrue(wrong.body.contains("Wrong name or password."))
            XCTAssertEqual(wrong.headers.map(\.name).sorted { $0.rawName < $1.rawName }, unknown.headers.map(\.name).sorted { $0.rawName < $1.rawName })
            XCTAssertEqual(wrongChecks, 1)
            XCTAssertEqual(unknownChecks, 1)
        }
    }

    func testFailedLogInsAreSlowedPerName() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            for _ in 0..<3 {
                try await browser.get("/login")
                let v13 = try await browser.post("/login", ["name": "anna", "password": "guess"]).status
                XCTAssertEqual(v13, .unauthorized)
            }
            // The fourth try comes too soon, even with the right password, and is not even checked.
            try await browser.get("/login")
            let checks = station.checks.count
            let slowed = try await browser.post("/login", ["name": "anna", "password": StationFixture.password])
            XCTAssertEqual(slowed.status, .tooManyRequests)
            XCTAssertTrue(slowed.body.contains("Too many failed log-ins"))
            XCTAssertEqual(station.checks.count, checks)
            station.clock.advance(2)
            try await browser.get("/login")
            let v14 = try await browser.post("/login", ["name": "anna", "password": StationFixture.password]).status
            XCTAssertEqual(v14, .seeOther)
        }
    }

    func testAnIdleSessionEndsAndLogOutReleasesTheForm() async throws {
        let station = try StationFixture.station(in: try folder())
        try await station.app.test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.logIn("anna")
            try await browser.get("/")
            _ = try await browser.post("/next")
            XCTAssertEqual(try station.store.show(1).status, .inProgress)
            let logout = try await browser.post("/logout")
            XCTAssertEqual(logout.location, "/login")
            XCTAssertEqual(try station.store.show(1).status, .new, "log-out gives the form back")
            XCTAssertNil(try station.store.show(1).worker)
            let v15 = try await browser.get("/").location
            XCTAssertEqual(v15, "/login")

            _ = try await browser.logIn("anna")
            let v16 = try await browser.get("/").status
            XCTAssertEqual(v16, .ok)
            station.clock.advance(31 * 60)
            let v17 = try await browser.get("/").location
            XCTAssertEqual(v17, "/login", "30 minutes idle end the session")
        }
    }
}
